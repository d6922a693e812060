"""boto3's transfer manager with its defaults (8 MiB parts, 10 threads, a CRC-32 on every part
and every download it can check) uploading and downloading one large object through swift-oss's
S3 API and through SeaweedFS's S3 gateway, on the same machine, in one run.

A benchmark, never a test. Run through `run.sh s3`, which provides the virtualenv of
Benchmarks/server (SeaweedFS, boto3) and a release `oss`. Rounds alternate which server goes
first; medians are shown, with each server's CPU seconds per GiB (SeaweedFS's processes all count).
"""
import os
import shutil
import statistics
import sys
import tempfile
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import peers  # noqa: E402


def client(endpoint):
    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=peers.ACCESS_KEY, aws_secret_access_key=peers.SECRET,
        region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))


def timed(peer, action):
    cpu = peers.cpu_seconds(peer.pids)
    started = time.time()
    action()
    return time.time() - started, peers.cpu_seconds(peer.pids) - cpu


def main():
    parser = peers.cluster_arguments()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oss-s3-bench-")
    started = []
    try:
        weed = peers.start_weed(args.weed, work)
        started.append(weed)
        oss = peers.start_oss(args.oss, work)
        started.append(oss)
        big = f"{work}/big.bin"
        with open(big, "wb") as f:
            for _ in range(args.big_mib):
                f.write(os.urandom(1 << 20))
        config = TransferConfig()  # boto3's defaults
        samples = {(peer.name, op): [] for peer in (oss, weed) for op in ("upload", "download")}
        for round_number in range(args.rounds):
            order = [oss, weed] if round_number % 2 == 0 else [weed, oss]
            for peer in order:
                s3 = client(peer.s3_endpoint)
                key = f"big-{round_number}.bin"
                samples[(peer.name, "upload")].append(timed(peer, lambda: s3.upload_file(big, peers.BUCKET, key, Config=config)))
                target = f"{work}/down.bin"
                samples[(peer.name, "download")].append(
                    timed(peer, lambda: s3.download_file(peers.BUCKET, key, target, Config=config)))
                if open(target, "rb").read(1 << 20) != open(big, "rb").read(1 << 20) or os.path.getsize(target) != os.path.getsize(big):
                    raise SystemExit(f"{peer.name}: the download differs from the upload")
                os.remove(target)
                s3.delete_object(Bucket=peers.BUCKET, Key=key)
        mb = args.big_mib * 1.048576
        print(f"\n{args.big_mib} MiB with boto3's transfer manager (defaults, CRC-32 on), median of {args.rounds} rounds")
        print(f"{'':10} {'swift-oss':>12} {'SeaweedFS':>12}   ratio   server CPU s/GiB (swift-oss, SeaweedFS)")
        for op in ("upload", "download"):
            rates, cpus = [], []
            for peer in (oss, weed):
                times = samples[(peer.name, op)]
                rates.append(mb / statistics.median(t for t, _ in times))
                cpus.append(statistics.median(c for _, c in times) * 1024 / args.big_mib)
            print(f"{op:10} {rates[0]:8.0f} MB/s {rates[1]:8.0f} MB/s   {rates[0] / rates[1]:5.2f}   {cpus[0]:6.2f}  {cpus[1]:6.2f}")
    finally:
        for peer in started:
            peer.process.terminate()
        for peer in started:
            peer.process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
