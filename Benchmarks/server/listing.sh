#!/usr/bin/env bash
# Delimiter listings (a benchmark, never a test): COUNT objects, each under a prefix of its own
# (p000000/x, p000001/x, …), then ListObjects with delimiter "/" and max-keys 1000 — the first
# page and every page — side by side with the same pages listed flat (no delimiter), the anchor:
# a rolled-up page should cost about what a flat page of the same size costs.
#
#   Benchmarks/server/listing.sh [COUNT]      (default 20000; needs curl and the conformance .venv)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" 0
count="${1:-20000}"
head -c 16 /dev/urandom >"$work/tiny.bin"

"$python" - "$endpoint" "$count" "$work" <<'PY'
import os, sys, oss2
endpoint, count, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bucket = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")
with open(f"{work}/put.cfg", "w") as put:
    for i in range(count):
        put.write(f'url = "{bucket.sign_url("PUT", f"p{i:06d}/x", 3600)}"\nupload-file = "{work}/tiny.bin"\noutput = "/dev/null"\n')
PY
echo "storing $count objects…"
curl -sf --no-progress-meter --parallel --parallel-max 16 -H 'Content-Type:' -H 'Expect:' -K "$work/put.cfg"

"$python" - "$endpoint" "$count" <<'PY'
import os, sys, time, oss2
endpoint, count = sys.argv[1], int(sys.argv[2])
bucket = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")

def timed(delimiter, pages):
    marker, listed, start, seen = "", 0, time.perf_counter(), 0
    while seen < pages:
        result = bucket.list_objects(delimiter=delimiter, marker=marker, max_keys=1000)
        listed += len(result.object_list) + len(result.prefix_list)
        seen += 1
        if not result.is_truncated:
            break
        marker = result.next_marker
    return time.perf_counter() - start, listed

for label, pages in (("first page", 1), ("every page", 10**9)):
    rolled, n = timed("/", pages)
    flat, m = timed("", pages)
    assert n == m, (n, m)
    print(f"{label:10}: {n:6} entries  delimiter {rolled * 1000:8.1f} ms   flat {flat * 1000:8.1f} ms   ratio {rolled / flat:5.2f}  (target <= 1.5)")
PY
