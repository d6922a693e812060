#!/usr/bin/env bash
# Client throughput, side by side in one run against one server (a benchmark, never a test):
# a SIZE file uploaded and downloaded through OSSClient (`oss cp`: OSSUploader/OSSDownloader),
# oss2's resumable functions and alibabacloud-oss-v2's uploader/downloader (CRC checks on in
# all), and raw curl PUT/GET as the ceiling of what the server sustains.
#
#   Benchmarks/client/run.sh [SIZE_MIB]      (default 1024; needs curl and the conformance .venv)
#
# Every download is made durable (fsync) before it counts, curl's included, so all sides pay the
# same disk. TMPDIR=/dev/shm takes the disk out and measures the software alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
size_mib="${1:-1024}"
python="$root/.venv/bin/python"
[ -x "$python" ] || { echo "run.sh: $python missing: run scripts/test once (it creates .venv with the SDKs)"; exit 2; }
command -v curl >/dev/null || { echo "run.sh: curl missing: apt-get install curl"; exit 2; }

echo "building oss (release)…"
(cd "$root" && swift build -c release --product oss >/dev/null 2>&1)
oss="$(cd "$root" && swift build -c release --show-bin-path)/oss"

work="$(mktemp -d "${TMPDIR:-/tmp}/oss-client-bench.XXXXXX")"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

export OSS_ACCESS_KEY_ID="bench" OSS_ACCESS_KEY_SECRET="bench-secret"
"$oss" serve --address 127.0.0.1:0 --data "$work/data" --bucket bench --log-level warning >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/server.log" && break; sleep 0.1; done
endpoint="$(grep -o 'http://[^ ]*' "$work/server.log" | tail -1)"
[ -n "$endpoint" ] || { cat "$work/server.log"; exit 1; }

echo "writing a ${size_mib} MiB test file…"
head -c "$((size_mib << 20))" /dev/urandom >"$work/object.bin"
now() { date +%s.%N; }
results="$work/results"

put_url="$("$python" "$root/Benchmarks/server/presign.py" PUT "$endpoint" bench curl.bin)"
start=$(now); curl -sf -X PUT -H 'Content-Type:' -H 'Expect:' -T "$work/object.bin" "$put_url" -o /dev/null; end=$(now)
echo "curl-upload $(python3 -c "print($end - $start)")" >>"$results"
get_url="$("$python" "$root/Benchmarks/server/presign.py" GET "$endpoint" bench curl.bin)"
start=$(now); curl -sf "$get_url" -o "$work/curl.out" && sync "$work/curl.out"; end=$(now)
rm -f "$work/curl.out"
echo "curl-download $(python3 -c "print($end - $start)")" >>"$results"

start=$(now); "$oss" cp --quiet --endpoint "$endpoint" "$work/object.bin" oss://bench/swift.bin >"$work/swift-up.log"; end=$(now)
echo "swift-upload $(python3 -c "print($end - $start)")" >>"$results"
start=$(now); "$oss" cp --quiet --endpoint "$endpoint" oss://bench/swift.bin "$work/swift.out" >"$work/swift-down.log"; end=$(now)
echo "swift-download $(python3 -c "print($end - $start)")" >>"$results"
grep -q "CRC-64 verified" "$work/swift-up.log" && grep -q "CRC-64 verified" "$work/swift-down.log" \
    || { echo "OSSClient transfer not verified:"; cat "$work/swift-up.log" "$work/swift-down.log"; exit 1; }
cmp -s "$work/object.bin" "$work/swift.out" || { echo "downloaded bytes differ"; exit 1; }
rm -f "$work/swift.out"

"$python" "$here/python_sdks.py" "$endpoint" bench "$work/object.bin" >>"$results"

python3 - "$((size_mib << 20))" "$results" <<'PY'
import sys
size = int(sys.argv[1])
times = dict(line.split() for line in open(sys.argv[2]))
mb = lambda name: size / float(times[name]) / 1e6
print(f"object: {size >> 20} MiB; OSSClient CRC-64 verified both ways")
for direction in ("upload", "download"):
    swift = mb(f"swift-{direction}")
    print(f"{direction:9} OSSClient {swift:7.0f} MB/s | oss2 {mb(f'oss2-{direction}'):6.0f} MB/s ({swift / mb(f'oss2-{direction}'):.2f}x, target >= 3) | "
          f"v2 {mb(f'v2-{direction}'):6.0f} MB/s ({swift / mb(f'v2-{direction}'):.2f}x) | curl {mb(f'curl-{direction}'):6.0f} MB/s ({swift / mb(f'curl-{direction}'):.2f}x, target >= 0.8)")
PY
