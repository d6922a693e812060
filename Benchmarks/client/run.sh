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
source "$(dirname "${BASH_SOURCE[0]}")/../server/start-server.sh"

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
