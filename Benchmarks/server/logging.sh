#!/usr/bin/env bash
# What a request record in the log costs (a benchmark, never a test), in one run: 4 KiB PUT and
# GET ops/s with 16 connections against two servers of the same binary, one logging a line per
# request (`--log-level info`, text to a file) and one writing none (`--log-level warning`);
# rounds alternate between the two and the medians are compared (target: >= 0.95x).
#
#   Benchmarks/server/logging.sh [COUNT] [ROUNDS] [FORMAT]   (defaults 2000, 7, text; needs curl and .venv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/common.sh"
release_oss "$root"
python="$root/.venv/bin/python"
count="${1:-2000}"
rounds="${2:-7}"
format="${3:-text}"
work="$(mktemp -d "${TMPDIR:-/tmp}/oss-logging.XXXXXX")"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }
export OSS_ACCESS_KEY_ID="bench" OSS_ACCESS_KEY_SECRET="bench-secret"
start_server() {  # NAME LEVEL
    "$oss" serve --address 127.0.0.1:0 --data "$work/$1" --bucket bench --log-level "$2" --log-format "$format" \
        >"$work/$1.out" 2>"$work/$1.log" &
    pids+=($!)
    for _ in $(seq 1 100); do grep -q "listening on" "$work/$1.out" && break; sleep 0.1; done
    grep -o 'listening on http://[^ ]*' "$work/$1.out" | cut -d' ' -f3
}
logged="$(start_server logged info)"
quiet="$(start_server quiet warning)"
head -c 4096 /dev/urandom >"$work/small.bin"
"$python" - "$work" "$count" "$rounds" "$logged" "$quiet" <<'PY'
import os, sys, oss2
work, count, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for name, endpoint in (("logged", sys.argv[4]), ("quiet", sys.argv[5])):
    bucket = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")
    for r in range(rounds):
        with open(f"{work}/{name}-put-{r}.cfg", "w") as put, open(f"{work}/{name}-get-{r}.cfg", "w") as get:
            for i in range(count):
                key = f"r{r}/k{i:06d}"
                put.write(f'url = "{bucket.sign_url("PUT", key, 3600)}"\nupload-file = "{work}/small.bin"\noutput = "/dev/null"\n')
                get.write(f'url = "{bucket.sign_url("GET", key, 3600)}"\noutput = "/dev/null"\n')
PY
run() {  # NAME OP ROUND -> ops/s
    local start end
    start=$(now)
    curl -sf --no-progress-meter --parallel --parallel-max 16 -H 'Content-Type:' -H 'Expect:' -K "$work/$1-$2-$3.cfg"
    end=$(now)
    python3 -c "print(f'{$count / ($end - $start):.0f}')"
}
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" "$@"; }
for op in put get; do
    logged_rates=(); quiet_rates=()
    for r in $(seq 0 $((rounds - 1))); do
        if [ $((r % 2)) -eq 0 ]; then
            logged_rates+=("$(run logged $op $r)"); quiet_rates+=("$(run quiet $op $r)")
        else
            quiet_rates+=("$(run quiet $op $r)"); logged_rates+=("$(run logged $op $r)")
        fi
    done
    l="$(median "${logged_rates[@]}")"; q="$(median "${quiet_rates[@]}")"
    echo "4 KiB ${op^^} x $count, 16 connections: a $format line per request $l ops/s (${logged_rates[*]}), none $q ops/s (${quiet_rates[*]}): $(python3 -c "print(f'{$l / $q:.2f}')")x"
done
echo "lines logged: $(wc -l <"$work/logged.log"); by the quiet server: $(wc -l <"$work/quiet.log")"
