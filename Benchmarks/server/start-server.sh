# Sourced by the throughput benchmarks: checks the tools, builds `oss` in release, starts
# `oss serve` on a free port over a fresh data folder in $work, and writes a SIZE_MIB test file.
# OSS_BIN=path runs that `oss` binary instead of building the current one.
# Sets: root, python, oss, work, server_pid, endpoint, bytes. Cleans up on exit.
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
size_mib="${1:-1024}"
python="$root/.venv/bin/python"
[ -x "$python" ] || { echo "run.sh: $python missing: run scripts/test once (it creates .venv with the SDKs)"; exit 2; }
command -v curl >/dev/null || { echo "run.sh: curl missing: apt-get install curl"; exit 2; }

if [ -n "${OSS_BIN:-}" ]; then
    oss="$OSS_BIN"  # another build of oss, e.g. an earlier commit's, for a before/after run
else
    echo "building oss (release)…"
    (cd "$root" && swift build -c release --product oss >/dev/null 2>&1)
    oss="$(cd "$root" && swift build -c release --show-bin-path)/oss"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/oss-bench.XXXXXX")"
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
bytes=$((size_mib << 20))
now() { date +%s.%N; }
