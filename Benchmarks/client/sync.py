"""`oss sync` of a tree of many small files, against `aws s3 sync` and `oss cp -r`, through one
swift-oss server (its OSS API for `oss`, its S3 API for the AWS CLI), on this machine in one run.

A benchmark, never a test: run through sync.sh. File sizes are log-uniform between 1 KiB and
1 MiB (most files small, as in real trees), from a fixed seed. Each tool copies the tree to an
empty prefix, then runs again with nothing changed (`oss cp -r` has no such mode: it copies
again). `oss sync` gets a fresh CRC cache folder, so its first run pays for reading every file.
"""
import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import peers  # noqa: E402


def make_tree(root, count, seed=17):
    rng = random.Random(seed)
    total = 0
    for index in range(count):
        size = int(math.exp(rng.uniform(math.log(1024), math.log(1 << 20))))
        folder = os.path.join(root, f"d{index % 50:02d}", f"e{index % 7}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"f{index:05d}.bin"), "wb") as f:
            f.write(rng.randbytes(size))
        total += size
    return total


def timed(argv, env):
    started = time.time()
    result = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.time() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--oss", required=True)
    parser.add_argument("--aws", required=True)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="oss-sync-bench-")
    server = None
    try:
        tree = f"{work}/tree"
        total = make_tree(tree, args.files)
        server = peers.start_oss(args.oss, work)
        endpoint = server.s3_endpoint
        env = dict(os.environ, OSS_ACCESS_KEY_ID=peers.ACCESS_KEY, OSS_ACCESS_KEY_SECRET=peers.SECRET,
                   AWS_ACCESS_KEY_ID=peers.ACCESS_KEY, AWS_SECRET_ACCESS_KEY=peers.SECRET, AWS_DEFAULT_REGION="us-east-1",
                   XDG_CACHE_HOME=f"{work}/cache", XDG_STATE_HOME=f"{work}/state", AWS_CONFIG_FILE="/dev/null")
        oss = [args.oss]
        rows = []
        for round_number in range(args.rounds):
            shutil.rmtree(f"{work}/cache", ignore_errors=True)
            target = f"oss://{peers.BUCKET}/sync{round_number}/"
            first, out = timed(oss + ["sync", "-q", "--endpoint", endpoint, tree, target], env)
            again, out_again = timed(oss + ["sync", "-q", "--endpoint", endpoint, tree, target], env)
            assert f"{args.files} identical" in out_again, out_again
            s3 = f"s3://{peers.BUCKET}/aws{round_number}/"
            aws = [args.aws, "--endpoint-url", endpoint, "s3", "sync", "--only-show-errors", tree, s3]
            aws_first, _ = timed(aws, env)
            aws_again, _ = timed(aws, env)
            cp, _ = timed(oss + ["cp", "-r", "-q", "--endpoint", endpoint, tree, f"oss://{peers.BUCKET}/cp{round_number}/"], env)
            rows.append((first, again, aws_first, aws_again, cp))
        mib = total / (1 << 20)
        print(f"\n{args.files} files, {mib:.0f} MiB (log-uniform 1 KiB-1 MiB), one swift-oss server, {args.rounds} round(s)")
        print(f"{'':28} {'first run':>10} {'no change':>10}  re-run/first")
        for index, row in enumerate(rows):
            first, again, aws_first, aws_again, cp = row
            print(f"oss sync (round {index})           {first:8.1f} s {again:8.1f} s  {again / first:8.2f}")
            print(f"aws s3 sync (round {index})        {aws_first:8.1f} s {aws_again:8.1f} s  {aws_again / aws_first:8.2f}")
            print(f"oss cp -r (round {index})          {cp:8.1f} s")
            print(f"ratios: oss sync / aws s3 sync first {first / aws_first:.2f}, no change {again / aws_again:.2f}; "
                  f"oss sync / oss cp -r first {first / cp:.2f}")
    finally:
        if server:
            server.process.terminate()
            server.process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
