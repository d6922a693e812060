#!/usr/bin/env bash
# The scrubber's cost (a benchmark, never a test), in one run:
#   1. 4 KiB GET ops/s with 16 connections while a scrub pass runs at the default rate, against
#      the same server idle (target: >= 0.9x);
#   2. an offline pass at an unlimited rate (`oss scrub --data`) against a plain sequential read
#      of the same blob files with cat (target: >= 0.8x), each from a cold page cache when this
#      machine lets us drop it, else both from a warm one (said in the output).
#
#   Benchmarks/server/scrub.sh [BIG_MIB] [COUNT]   (defaults 3072 and 2000; needs curl and .venv)
#
# The offline comparison runs three rounds, cat and scrub alternating, and reports medians: this
# machine's disk reads the same files cold at anywhere from 0.8 to 3.6 GB/s from one run to the
# next, and a pass of a few hundred milliseconds would also be dominated by process start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/common.sh"
release_oss "$root"
python="$root/.venv/bin/python"
big_mib="${1:-3072}"
count="${2:-2000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/oss-scrub.XXXXXX")"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }

export OSS_ACCESS_KEY_ID="bench" OSS_ACCESS_KEY_SECRET="bench-secret"
admin_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
admin="http://127.0.0.1:$admin_port"
"$oss" serve --address 127.0.0.1:0 --data "$work/data" --bucket bench --log-level warning \
    --admin-address "127.0.0.1:$admin_port" --scrub-interval 0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/server.log" && break; sleep 0.1; done
endpoint="$(grep -o 'listening on http://[^ ]*' "$work/server.log" | tail -1 | cut -d' ' -f3)"
[ -n "$endpoint" ] || { cat "$work/server.log"; exit 1; }

echo "storing ${big_mib} MiB in 64 MiB objects and $count objects of 4 KiB…"
head -c $((64 << 20)) /dev/urandom >"$work/big.bin"
head -c 4096 /dev/urandom >"$work/small.bin"
"$python" - "$endpoint" "$count" "$work" "$((big_mib / 64))" <<'PY'
import os, sys, oss2
endpoint, count, work, bigs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
bucket = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")
for i in range(bigs):
    bucket.put_object_from_file(f"big/{i:03d}", f"{work}/big.bin")
with open(f"{work}/put.cfg", "w") as put, open(f"{work}/get.cfg", "w") as get:
    for i in range(count):
        put.write(f'url = "{bucket.sign_url("PUT", f"small/{i:06d}", 3600)}"\nupload-file = "{work}/small.bin"\noutput = "/dev/null"\n')
        get.write(f'url = "{bucket.sign_url("GET", f"small/{i:06d}", 3600)}"\noutput = "/dev/null"\n')
PY
curl -sf --no-progress-meter --parallel --parallel-max 16 -H 'Content-Type:' -H 'Expect:' -K "$work/put.cfg"

gets() {
    local start end
    start=$(now)
    curl -sf --no-progress-meter --parallel --parallel-max 16 -K "$work/get.cfg"
    end=$(now)
    python3 -c "print(f'{$count / ($end - $start):.0f}')"
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" "$@"; }

idle=(); for _ in 1 2 3; do idle+=("$(gets)"); done
curl -sf -X POST "$admin/scrub" >/dev/null
sleep 1
busy=(); for _ in 1 2 3; do busy+=("$(gets)"); done
running="$(curl -sf "$admin/scrub" | grep '^running:')"
scrubbed="$(curl -sf "$admin/scrub" | grep '^bytes:')"
echo "4 KiB GET, 16 connections, idle:            $(median "${idle[@]}") ops/s  (${idle[*]})"
echo "4 KiB GET, 16 connections, scrub at 32 MB/s: $(median "${busy[@]}") ops/s  (${busy[*]}; scrub $running, $scrubbed)"
python3 -c "print(f'ratio while scrubbing: {$(median "${busy[@]}") / $(median "${idle[@]}"):.2f}x (target >= 0.9x)')"

kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
blob_bytes="$(du -sb "$work/data/blobs" | cut -f1)"
cold() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; }
if cold; then cache="cold page cache"; else cache="warm page cache (dropping it is not allowed here)"; fi
cats=(); scrubs=()
for _ in 1 2 3; do
    cold || find "$work/data/blobs" -type f -exec cat {} + >/dev/null
    start=$(now); find "$work/data/blobs" -type f -exec cat {} + >/dev/null; end=$(now)
    cats+=("$(python3 -c "print(f'{$blob_bytes / ($end - $start) / 1e6:.0f}')")")
    cold || true
    start=$(now); "$oss" scrub --data "$work/data" >/dev/null 2>&1; end=$(now)
    scrubs+=("$(python3 -c "print(f'{$blob_bytes / ($end - $start) / 1e6:.0f}')")")
done
cat_rate="$(median "${cats[@]}")"; scrub_rate="$(median "${scrubs[@]}")"
echo "sequential read of the blob files (cat): $cat_rate MB/s (${cats[*]}); oss scrub, unlimited: $scrub_rate MB/s (${scrubs[*]}); $cache"
python3 -c "print(f'scrub / plain read: {$scrub_rate / $cat_rate:.2f}x (target >= 0.8x)')"
