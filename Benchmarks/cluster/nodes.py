"""One node on SQLite and files, then one, two and three nodes on PostgreSQL and SeaweedFS, under
the same curl load: 4 KiB PUT and GET with 16 connections (presigned URLs spread over the nodes
in turn) and one large PUT and GET. For each, the CPU seconds per operation of the nodes, of
PostgreSQL and of SeaweedFS, which name the bottleneck on this machine.

A benchmark, never a test. Run through `run.sh nodes`, which provides the virtualenv of
Benchmarks/server and a release `oss`.
"""
import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "server"))
sys.path.insert(0, os.path.join(here, "..", "..", "conformance"))
import oss2  # noqa: E402
import peers  # noqa: E402
from cluster import Postgres  # noqa: E402


class Group:
    """Processes whose CPU is counted together: a fixed list, or a parent and its children."""

    def __init__(self, pids=(), parent=None):
        self.fixed, self.parent = list(pids), parent

    @property
    def pids(self):
        if self.parent is None:
            return self.fixed
        children = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1]) == self.parent:
                        children.append(int(entry))
                except (FileNotFoundError, ProcessLookupError, IndexError):
                    pass
        return [self.parent, *children]

    def cpu(self):
        return peers.cpu_seconds(self.pids)


def start_nodes(binary, work, count, postgres, weed):
    """`count` nodes on one database (a schema of their own) and one backend bucket, as one Peer
    whose presigned URLs go to the nodes in turn."""
    schema = f"bench{count}"
    # One backend bucket for every configuration: SeaweedFS reserves volumes per bucket
    # (collection), and a third bucket's found no room on this disk (500 on UploadPart).
    arguments = ["--metadata", f"{postgres.url}&schema={schema}", "--blobs", "s3://blobs",
                 "--blobs-endpoint", weed.s3_endpoint]
    environment = {"OSS_BLOBS_ACCESS_KEY_ID": peers.ACCESS_KEY, "OSS_BLOBS_SECRET_ACCESS_KEY": peers.SECRET}
    nodes = [peers.start_oss(binary, work, name=f"n{count}-{index}", arguments=arguments, environment=environment)
             for index in range(count)]
    peer = peers.Peer(f"{count} node{'s' if count > 1 else ''}, PostgreSQL + SeaweedFS",
                      [pid for node in nodes for pid in node.pids])
    turn = [0]

    def sign(method, key, params=None):
        turn[0] += 1
        return nodes[turn[0] % count].sign(method, key, params)

    peer.sign = sign
    peer.nodes = nodes
    return peer


def measure(peer, groups, work, op, keys, small, big_mib=None, big=None):
    before = {name: group.cpu() for name, group in groups.items()}
    if big is None:
        rate = peers.measure(peer, work, op, keys, 16, small)[0]
        count = len(keys)
    else:
        rate = peers.measure_big(peer, work, op, big, big_mib)[0]
        count = big_mib
    spent = {name: (group.cpu() - before[name]) / count for name, group in groups.items()}
    return rate, spent


def main():
    parser = peers.cluster_arguments()
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oss-nodes-")
    postgres = None
    started = []
    try:
        postgres = Postgres()
        postmaster = int(open(postgres.data / "postmaster.pid").read().split()[0])
        weed = peers.start_weed(args.weed, work)
        started.append(weed)
        files = peers.start_oss(args.oss, work, name="1 node, SQLite + files")
        started.append(files)
        configurations = [(files, Group(files.pids), False)]
        for count in (1, 2, 3):
            peer = start_nodes(args.oss, work, count, postgres, weed)
            started += peer.nodes
            configurations.append((peer, Group(peer.pids), True))
        small = f"{work}/small.bin"
        open(small, "wb").write(os.urandom(4096))
        big = f"{work}/big.bin"
        with open(big, "wb") as f:
            for _ in range(args.big_mib):
                f.write(os.urandom(1 << 20))
        database, backend = Group(parent=postmaster), Group(weed.pids)
        print(f"\n{'configuration':38} {'load':18} {'rate':>14}   CPU per op (ms): nodes / PostgreSQL / SeaweedFS")
        for peer, nodes, shared in configurations:
            groups = {"nodes": nodes, "postgres": database, "weed": backend}
            keys = [f"{peer.name[:1]}/k{i:06d}" for i in range(args.count)]
            for op in ("PUT", "GET"):
                rate, spent = measure(peer, groups, work, op, keys, small)
                print(f"{peer.name:38} {'4 KiB ' + op + ', 16 conns':18} {rate:9.0f} ops/s   "
                      f"{spent['nodes'] * 1e3:.2f} / {spent['postgres'] * 1e3:.2f} / {spent['weed'] * 1e3:.2f}")
            for op in ("PUT", "GET"):
                try:
                    rate, spent = measure(peer, groups, work, op, keys, small, args.big_mib, big)
                except subprocess.CalledProcessError:
                    # Seen: SeaweedFS answering 500 to UploadPart when it had no room for new volumes.
                    print(f"{peer.name:38} {f'{args.big_mib} MiB ' + op:18} failed (an error answer; see the backend)")
                    continue
                print(f"{peer.name:38} {f'{args.big_mib} MiB ' + op:18} {rate:9.0f} MB/s    "
                      f"{spent['nodes'] * 1e3:.2f} / {spent['postgres'] * 1e3:.2f} / {spent['weed'] * 1e3:.2f} (per MiB)")
        print("\nThe SQLite node fsyncs every write itself; the others commit to PostgreSQL (synchronous_commit on) "
              "and keep bytes in SeaweedFS, which does not fsync before acknowledging. Two cores run everything: "
              "nodes, PostgreSQL, SeaweedFS and curl.")
        return 0
    finally:
        for peer in started:
            peer.process.kill()
            peer.process.wait()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
