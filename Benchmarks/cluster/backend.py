"""swift-oss with its blobs in files and in SeaweedFS (`oss serve --blobs`), beside SeaweedFS
itself, under the same curl load: 4 KiB PUT/GET with 16 connections and 1 GiB PUT/GET.

A benchmark, never a test. Run through `run.sh backend`, which provides the virtualenv of
Benchmarks/server (SeaweedFS, boto3, oss2) and a release `oss`.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import peers  # noqa: E402


def main():
    parser = peers.cluster_arguments()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oss-backend-")
    started = []
    try:
        weed = peers.start_weed(args.weed, work)
        started.append(weed)
        files = peers.start_oss(args.oss, work, name="swift-oss (files)")
        started.append(files)
        s3 = peers.start_oss(
            args.oss, work, name="swift-oss (--blobs SeaweedFS)",
            arguments=["--blobs", "s3://oss-blobs", "--blobs-endpoint", weed.s3_endpoint],
            environment={"OSS_BLOBS_ACCESS_KEY_ID": peers.ACCESS_KEY, "OSS_BLOBS_SECRET_ACCESS_KEY": peers.SECRET})
        started.append(s3)
        # The backend's own processes work for the S3-backed node: count their CPU with it.
        s3.pids = s3.pids + weed.pids
        candidates = [files, s3, weed]
        small = f"{work}/small.bin"
        open(small, "wb").write(os.urandom(4096))
        rows = []
        samples = {(peer.name, op): [] for peer in candidates for op in ("PUT", "GET")}
        for r in range(args.rounds):
            keys = [f"r{r}/k{i:06d}" for i in range(args.count)]
            order = candidates[r % 3:] + candidates[:r % 3]
            for op in ("PUT", "GET"):
                for peer in order:
                    samples[(peer.name, op)].append(peers.measure(peer, work, op, keys, 16, small)[0])
        for op in ("PUT", "GET"):
            rows.append((f"4 KiB {op}, 16 conns", "ops/s",
                         [sorted(samples[(peer.name, op)])[args.rounds // 2] for peer in candidates]))
        big = f"{work}/big.bin"
        with open(big, "wb") as f:
            for _ in range(args.big_mib):
                f.write(os.urandom(1 << 20))
        for op in ("PUT", "GET"):
            results = [peers.measure_big(peer, work, op, big, args.big_mib)[0] for peer in candidates]
            rows.append((f"{args.big_mib} MiB {op}", "MB/s", results))
        print()
        print(f"4 KiB loads: median of {args.rounds} rounds; large objects: one run")
        names = [peer.name for peer in candidates]
        print(f"{'load':22} {names[0]:>20} {names[1]:>30} {names[2]:>12}   S3-backed / files")
        for name, unit, (a, b, c) in rows:
            print(f"{name:22} {a:13.0f} {unit:>6} {b:23.0f} {unit:>6} {c:5.0f} {unit:>6}   {b / a:6.2f}")
        print("\nSeaweedFS does not fsync before acknowledging; swift-oss on files fsyncs every write; "
              "swift-oss on SeaweedFS is as durable as SeaweedFS makes its objects.")
        return 0
    finally:
        for peer in started:
            peer.process.kill()
            peer.process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
