"""Runs the peers benchmark (see peers.sh): starts `oss serve` and `weed server -s3` on free
loopback ports over fresh folders, drives both with curl, prints one table."""

import argparse
import base64
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import boto3
import oss2
from botocore.config import Config

ACCESS_KEY, SECRET = "LTAIpeersbench000000", "peers-bench-secret-0000000000"
BUCKET = "peers"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids):
    """User + system CPU of processes and their children so far (from /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except FileNotFoundError:
            pass
    return total


def peak_rss_mib(pid):
    """The process's peak resident set (VmHWM), in MiB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_for(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer: listening
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


class Peer:
    """One server under test: how to presign each operation, and its process ids for CPU."""

    def __init__(self, name, pids):
        self.name, self.pids = name, pids


def presigned_v1_listing(endpoint, bucket, params):
    """A V1 URL signature for GET /bucket/ (oss2 signs object URLs only); listing parameters
    are not sub-resources, so they stay out of the signed string."""
    expires = str(int(time.time()) + 7200)
    digest = hmac.new(SECRET.encode(), f"GET\n\n\n{expires}\n/{bucket}/".encode(), hashlib.sha1).digest()
    query = urllib.parse.urlencode(
        {"OSSAccessKeyId": ACCESS_KEY, "Expires": expires, "Signature": base64.b64encode(digest).decode(), **params})
    return f"{endpoint}/{bucket}/?{query}"


def start_oss(binary, work, name="swift-oss", arguments=(), environment=None):
    port = free_port()
    env = dict(os.environ, OSS_ACCESS_KEY_ID=ACCESS_KEY, OSS_ACCESS_KEY_SECRET=SECRET, **(environment or {}))
    process = subprocess.Popen(
        [binary, "serve", "--address", f"127.0.0.1:{port}", "--data", f"{work}/{name}-data", "--bucket", BUCKET,
         "--log-level", "warning", *arguments], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    wait_for(endpoint + "/")
    bucket = oss2.Bucket(oss2.Auth(ACCESS_KEY, SECRET), endpoint, BUCKET)
    peer = Peer(name, [process.pid])
    peer.process = process
    peer.s3_endpoint = endpoint  # the S3 API answers on the same port
    peer.sign = lambda method, key, params=None: bucket.sign_url(method, key, 7200, params=params)
    peer.list_url = lambda: presigned_v1_listing(endpoint, BUCKET, {"max-keys": "1000", "prefix": "list/"})
    return peer


def start_weed(binary, work):
    # Every port explicit: SeaweedFS's default gRPC port is the HTTP port + 10000, past 65535
    # for a high free port.
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3", "master.grpc", "volume.grpc",
                                            "filer.grpc", "s3.grpc")}
    config = f"{work}/s3.json"
    json.dump({"identities": [{"name": "bench", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET}],
                               "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}, open(config, "w"))
    os.makedirs(f"{work}/weed")
    process = subprocess.Popen(
        [binary, "server", f"-dir={work}/weed", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
         *[f"-{name.replace('.grpc', '.port.grpc') if '.grpc' in name else name + '.port'}={port}"
           for name, port in ports.items() if name != "s3" and name != "s3.grpc"],
         "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3.grpc']}", f"-s3.config={config}",
         "-s3.port.iceberg=0", "-s3.port.lance=0",
         "-master.volumeSizeLimitMB=4096", "-volume.max=0"],
        stdout=open(f"{work}/weed.log", "w"), stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        wait_for(endpoint + "/")
    except SystemExit:
        print(open(f"{work}/weed.log").read()[-3000:])
        raise
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET,
                      region_name="us-east-1", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    for _ in range(100):
        try:
            s3.create_bucket(Bucket=BUCKET)
            break
        except Exception:
            time.sleep(0.3)
    peer = Peer("SeaweedFS", [process.pid])
    peer.process = process
    peer.s3_endpoint = endpoint
    operations = {"PUT": "put_object", "GET": "get_object", "HEAD": "head_object", "DELETE": "delete_object"}
    peer.sign = lambda method, key, params=None: s3.generate_presigned_url(
        operations[method], Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=7200)
    peer.list_url = lambda: s3.generate_presigned_url(
        "list_objects_v2", Params={"Bucket": BUCKET, "MaxKeys": 1000, "Prefix": "list/"}, ExpiresIn=7200)
    return peer


def cluster_arguments():
    """The arguments every benchmark of Benchmarks/cluster takes (run.sh passes --oss and --weed)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--oss", required=True)
    parser.add_argument("--weed", required=True)
    parser.add_argument("--count", type=int, default=2000, help="requests per 4 KiB load")
    parser.add_argument("--big-mib", type=int, default=1024, help="size of the large object")
    return parser


def curl(config_path, connections):
    """Runs curl over a config file; returns (elapsed s, client CPU s)."""
    parallel = ["--parallel", "--parallel-max", str(connections)] if connections > 1 else []
    started = time.time()
    before = os.times()
    subprocess.run(["curl", "-sf", "--no-progress-meter", *parallel, "-H", "Expect:", "-K", config_path], check=True)
    after = os.times()
    return time.time() - started, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def measure(peer, work, op, keys, connections, small):
    path = f"{work}/{peer.name}-{op}-{connections}.cfg"
    with open(path, "w") as f:
        for key in keys:
            url = peer.sign(op, key)
            f.write(f'url = "{url}"\noutput = "/dev/null"\n')
            if op == "PUT":
                f.write(f'upload-file = "{small}"\n')
            elif op == "HEAD":
                f.write("head\n")
            elif op == "DELETE":
                f.write('request = "DELETE"\n')
    server_before = cpu_seconds(peer.pids)
    elapsed, client = curl(path, connections)
    server = cpu_seconds(peer.pids) - server_before
    return len(keys) / elapsed, client / elapsed, server / len(keys)


def measure_big(peer, work, op, big, mib):
    """One PUT or GET of the `mib` MiB file `big` as `big.bin`: (MB/s, client CPU share, server
    CPU seconds per MiB)."""
    path = f"{work}/{peer.name}-big-{op}.cfg".replace(" ", "_")
    with open(path, "w") as f:
        f.write(f'url = "{peer.sign(op, "big.bin")}"\noutput = "/dev/null"\n')
        if op == "PUT":
            f.write(f'upload-file = "{big}"\n')
    server_before = cpu_seconds(peer.pids)
    elapsed, client = curl(path, 1)
    return mib * 1.048576 / elapsed, client / elapsed, (cpu_seconds(peer.pids) - server_before) / mib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--oss", required=True)
    parser.add_argument("--weed", required=True)
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("big_mib", nargs="?", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the 4 KiB loads, peers alternating first; the median round is shown")
    parser.add_argument("--small-only", action="store_true", help="only the 4 KiB loads")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oss-peers-")
    peers = []
    try:
        peers = [start_oss(args.oss, work), start_weed(args.weed, work)]
        small = f"{work}/small.bin"
        open(small, "wb").write(os.urandom(4096))
        rows = []
        # A shared 2-core machine drifts by ±20% between runs: every round runs both peers on
        # fresh keys, the peer that goes first alternates, and the median round by ops/s is shown.
        for connections in (1, 16, 64):
            rounds = {op: [[], []] for op in ("PUT", "GET", "HEAD", "DELETE")}
            for r in range(args.rounds):
                keys = [f"c{connections}/r{r}/k{i:06d}" for i in range(args.count)]
                order = (0, 1) if r % 2 == 0 else (1, 0)
                for op in ("PUT", "GET", "HEAD", "DELETE"):
                    for index in order:
                        rounds[op][index].append(measure(peers[index], work, op, keys, connections, small))
            for op, per_peer in rounds.items():
                results = [sorted(samples, key=lambda sample: sample[0])[len(samples) // 2] for samples in per_peer]
                rows.append((f"4 KiB {op}", connections, results, "ops/s"))
        if args.small_only:
            return report(rows, peers, args.rounds)
        # ListObjects: pages of 1,000 keys over 1,000 objects.
        list_keys = [f"list/k{i:06d}" for i in range(1000)]
        for peer in peers:
            measure(peer, work, "PUT", list_keys, 16, small)
        for connections in (1, 16):
            results = []
            for peer in peers:
                path = f"{work}/{peer.name}-list-{connections}.cfg"
                with open(path, "w") as f:
                    for _ in range(200):
                        f.write(f'url = "{peer.list_url()}"\noutput = "/dev/null"\n')
                server_before = cpu_seconds(peer.pids)
                elapsed, client = curl(path, connections)
                results.append((200 / elapsed, client / elapsed, (cpu_seconds(peer.pids) - server_before) / 200))
            rows.append(("List 1,000 keys", connections, results, "pages/s"))
        # 1 GiB PUT and GET, one connection.
        big = f"{work}/big.bin"
        with open(big, "wb") as f:
            for _ in range(args.big_mib):
                f.write(os.urandom(1 << 20))
        for op in ("PUT", "GET"):
            results = [measure_big(peer, work, op, big, args.big_mib) for peer in peers]
            rows.append((f"{args.big_mib} MiB {op}", 1, results, "MB/s"))
        return report(rows, peers, args.rounds)
    finally:
        for peer in peers:
            peer.process.terminate()
            try:
                peer.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                peer.process.kill()
        shutil.rmtree(work, ignore_errors=True)


def report(rows, peers, rounds):
    print()
    print(f"4 KiB loads: median of {rounds} rounds; the others: one run")
    print(f"{'load':18} {'conns':>5} {'swift-oss':>12} {'SeaweedFS':>12} {'ratio':>6}   client CPU   server CPU per op (oss / weed)")
    for name, connections, results, unit in rows:
        (ours, our_client, our_cpu), (theirs, their_client, their_cpu) = results
        per = "ms/MiB" if unit == "MB/s" else "µs"
        scale = 1000 if unit == "MB/s" else 1_000_000
        print(f"{name:18} {connections:5} {ours:8.0f} {unit:>3} {theirs:8.0f} {unit:>3} {ours / theirs:6.2f}   "
              f"{our_client:4.0%} / {their_client:4.0%}   {our_cpu * scale:7.0f} / {their_cpu * scale:7.0f} {per}")
    print(f"\npeak RSS: swift-oss {peak_rss_mib(peers[0].pids[0]):.0f} MiB, "
          f"SeaweedFS {peak_rss_mib(peers[1].pids[0]):.0f} MiB (VmHWM, whole run)")
    print("SeaweedFS runs with its defaults, which do not fsync a write before acknowledging it; swift-oss "
          "fsyncs every acknowledged write. Client CPU is curl's share of one core-second per second.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
