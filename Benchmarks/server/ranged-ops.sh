#!/usr/bin/env bash
# Small ranged reads (a benchmark, never a test): COUNT GETs of 4 KiB at random offsets of one
# SIZE_MIB object, with 1 and 16 connections (curl --parallel, presigned V1 URLs), next to the
# same number of whole-object GETs of a 4 KiB object, the anchor: a ranged read checks every
# block it touches (64 KiB) before sending, so it reads more than it sends.
#
#   Benchmarks/server/ranged-ops.sh [SIZE_MIB] [COUNT]   (default 256 and 2000; needs curl and the conformance .venv)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" "${1:-256}"
count="${2:-2000}"
head -c 4096 /dev/urandom >"$work/small.bin"

"$python" - "$endpoint" "$count" "$work" "$bytes" <<'PY'
import os, random, sys, oss2
endpoint, count, work, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
bucket = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")
bucket.put_object_from_file("big", f"{work}/object.bin")
bucket.put_object_from_file("small", f"{work}/small.bin")
rng = random.Random(1)
with open(f"{work}/ranged.cfg", "w") as ranged, open(f"{work}/whole.cfg", "w") as whole:
    big, small = bucket.sign_url("GET", "big", 3600), bucket.sign_url("GET", "small", 3600)
    for _ in range(count):
        first = rng.randrange(0, size - 4096)
        ranged.write(f'url = "{big}"\nrange = "{first}-{first + 4095}"\noutput = "/dev/null"\n')
        whole.write(f'url = "{small}"\noutput = "/dev/null"\n')
PY

for clients in 1 16; do
    parallel=(); [ "$clients" -gt 1 ] && parallel=(--parallel --parallel-max "$clients")
    declare -A rate=()
    for op in ranged whole; do
        start=$(now)
        curl -sf --no-progress-meter "${parallel[@]}" -K "$work/$op.cfg"
        end=$(now)
        rate[$op]=$(python3 -c "print($count / ($end - $start))")
    done
    python3 -c "r, w = ${rate[ranged]}, ${rate[whole]}; print(f'4 KiB GETs, $clients client(s): ranged {r:8.0f}/s   whole small object {w:8.0f}/s   ratio {r / w:.2f}')"
done
