#!/usr/bin/env bash
# Server throughput, side by side with its anchors in one run (a benchmark, never a test):
#   PUT of a SIZE object  vs  dd of the same file with conv=fdatasync on the same disk
#   GET of it             vs  a plain loopback TCP copy of the same file
# and the server's peak resident memory, which must not grow with the object.
#
#   Benchmarks/server/run.sh [SIZE_MIB]      (default 1024; needs curl and the conformance .venv)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../server/start-server.sh"

rss_before=$(awk '/VmHWM/ {print $2}' /proc/$server_pid/status)

sync
start=$(now); dd if="$work/object.bin" of="$work/dd.out" bs=1M conv=fdatasync status=none; end=$(now)
dd_s=$(python3 -c "print($end - $start)"); rm -f "$work/dd.out"

put_url="$("$python" "$here/presign.py" PUT "$endpoint" bench object.bin)"
start=$(now); curl -sf -X PUT -H 'Content-Type:' -H 'Expect:' -T "$work/object.bin" "$put_url" -o /dev/null -D "$work/put.headers"; end=$(now)
put_s=$(python3 -c "print($end - $start)")

get_url="$("$python" "$here/presign.py" GET "$endpoint" bench object.bin)"
start=$(now); curl -sf "$get_url" -o /dev/null -D "$work/get.headers"; end=$(now)
get_s=$(python3 -c "print($end - $start)")

read -r tcp_bytes tcp_s < <(python3 "$here/loopback_copy.py" "$work/object.bin")
rss_after=$(awk '/VmHWM/ {print $2}' /proc/$server_pid/status)

crc_put=$(grep -i '^x-oss-hash-crc64ecma' "$work/put.headers" | tr -d '\r' | awk '{print $2}')
crc_get=$(grep -i '^x-oss-hash-crc64ecma' "$work/get.headers" | tr -d '\r' | awk '{print $2}')
crc_local=$("$oss" crc64 "$work/object.bin" | awk '{print $1}')
[ "$crc_put" = "$crc_local" ] && [ "$crc_get" = "$crc_local" ] || { echo "CRC mismatch: put $crc_put get $crc_get local $crc_local"; exit 1; }

python3 - "$bytes" "$dd_s" "$put_s" "$get_s" "$tcp_s" "$rss_before" "$rss_after" <<'PY'
import sys
size, dd, put, get, tcp, rss0, rss1 = sys.argv[1:]
size = int(size); dd, put, get, tcp = map(float, (dd, put, get, tcp))
mb = lambda s: size / s / 1e6
print(f"object: {size >> 20} MiB, CRC-64 verified on PUT and GET")
print(f"PUT  {mb(put):8.0f} MB/s   dd conv=fdatasync {mb(dd):8.0f} MB/s   ratio {dd / put:.2f}  (target >= 0.8)")
print(f"GET  {mb(get):8.0f} MB/s   loopback TCP copy {mb(tcp):8.0f} MB/s   ratio {tcp / get:.2f}  (target >= 0.8)")
print(f"server peak RSS: {int(rss0) // 1024} MiB before, {int(rss1) // 1024} MiB after (must not grow with the object)")
PY
