#!/usr/bin/env bash
# Small-object operations per second (a benchmark, never a test): COUNT PUTs and then GETs of
# 4 KiB objects, with 1 and with 16 concurrent connections (curl --parallel), presigned V1 URLs.
#
#   Benchmarks/server/small-ops.sh [COUNT]      (default 2000; needs curl and the conformance .venv)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" 0
count="${1:-2000}"
head -c 4096 /dev/urandom >"$work/small.bin"

"$python" - "$endpoint" "$count" "$work" <<'PY'
import os, sys, oss2
endpoint, count, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bucket = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")
for clients in (1, 16):
    with open(f"{work}/put-{clients}.cfg", "w") as put, open(f"{work}/get-{clients}.cfg", "w") as get:
        for i in range(count):
            key = f"c{clients}/k{i:06d}"
            put.write(f'url = "{bucket.sign_url("PUT", key, 3600)}"\nupload-file = "{work}/small.bin"\noutput = "/dev/null"\n')
            get.write(f'url = "{bucket.sign_url("GET", key, 3600)}"\noutput = "/dev/null"\n')
PY

for clients in 1 16; do
    parallel=(); [ "$clients" -gt 1 ] && parallel=(--parallel --parallel-max "$clients")
    for op in put get; do
        start=$(now)
        curl -sf --no-progress-meter "${parallel[@]}" -H 'Content-Type:' -H 'Expect:' -K "$work/$op-$clients.cfg"
        end=$(now)
        python3 -c "print(f'{\"$op\".upper():3} 4 KiB x $count, $clients client(s): {$count / ($end - $start):8.0f} ops/s')"
    done
done
