#!/usr/bin/env bash
# The cost of bucket policies (a benchmark, never a test): COUNT GETs of 4 KiB objects with 1 and
# 16 connections (curl --parallel, presigned V1 URLs), three ways on the same server: by the
# bucket's owner (no access check beyond ownership: the anchor), by a second user allowed by the
# bucket's public-read ACL, and by that user allowed by the last of 20 statements of a bucket
# policy on the private bucket (the 19 before it evaluated and not matching). Prints ops/s and
# the ratios to the owner's (best of three interleaved rounds).
#
#   Benchmarks/server/policy.sh [COUNT]      (default 2000; needs curl and the conformance .venv)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/start-server.sh" 0
count="${1:-2000}"
head -c 4096 /dev/urandom >"$work/small.bin"

# The second user, added beside the running server.
"$oss" admin user add reader --json --data "$work/data" >"$work/reader.json"

"$python" - "$endpoint" "$count" "$work" <<'PY'
import json, os, sys, oss2
endpoint, count, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
owner = oss2.Bucket(oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]), endpoint, "bench")
reader = json.load(open(f"{work}/reader.json"))
key = reader["AccessKey"]
as_reader = oss2.Bucket(oss2.Auth(key["AccessKeyId"], key["AccessKeySecret"]), endpoint, "bench")
data = open(f"{work}/small.bin", "rb").read()
for i in range(count):
    owner.put_object(f"k{i:06d}", data)
for name, signer in (("reader", as_reader), ("owner", owner)):
    with open(f"{work}/get-{name}.cfg", "w") as get:
        for i in range(count):
            get.write(f'url = "{signer.sign_url("GET", f"k{i:06d}", 3600)}"\noutput = "/dev/null"\n')
# 19 statements that are evaluated and do not match (other principals, actions, prefixes and
# conditions), then the grant.
statements = []
for n in range(19):
    statements.append([
        {"Effect": "Allow", "Action": ["oss:GetObject"], "Principal": [f"{1000000000000000 + n}"], "Resource": ["acs:oss:*:*:bench/*"]},
        {"Effect": "Allow", "Action": ["oss:PutObject", "oss:DeleteObject"], "Principal": ["*"], "Resource": [f"acs:oss:*:*:bench/p{n}/*"]},
        {"Effect": "Allow", "Action": ["oss:Get*"], "Principal": [reader["Id"]], "Resource": [f"acs:oss:*:*:bench/other{n}/*"],
         "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]}}},
    ][n % 3])
statements.append({"Effect": "Allow", "Action": ["oss:GetObject"], "Principal": [reader["Id"]], "Resource": ["acs:oss:*:*:bench/k*"],
                   "Condition": {"IpAddress": {"acs:SourceIp": ["127.0.0.0/8"]}}})
open(f"{work}/policy.json", "w").write(json.dumps({"Version": "1", "Statement": statements}))
PY

run() {  # $1 signer (owner or reader), $2 clients → prints ops/s
    local parallel=(); [ "$2" -gt 1 ] && parallel=(--parallel --parallel-max "$2")
    local start end
    start=$(now)
    curl -sf --no-progress-meter "${parallel[@]}" -K "$work/get-$1.cfg"
    end=$(now)
    python3 -c "print(f'{$count / ($end - $start):.0f}')"
}

owner_py() { "$python" -c "import os, sys, oss2; b = oss2.Bucket(oss2.Auth(os.environ['OSS_ACCESS_KEY_ID'], os.environ['OSS_ACCESS_KEY_SECRET']), '$endpoint', 'bench'); $1"; }

best() { python3 -c "import sys; print(max(float(x) for x in sys.argv[1:]))" "$@"; }

# Three rounds, the three ways interleaved in each, so that drift and other load hit all alike;
# the best round of each is reported.
run owner 16 >/dev/null  # warm-up
for clients in 1 16; do
    owned=(); acl=(); policy=()
    for _ in 1 2 3; do
        owner_py "b.delete_bucket_policy(); b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)"
        owned+=("$(run owner "$clients")")
        acl+=("$(run reader "$clients")")
        owner_py "b.put_bucket_acl(oss2.BUCKET_ACL_PRIVATE); b.put_bucket_policy(open('$work/policy.json').read())"
        policy+=("$(run reader "$clients")")
    done
    o=$(best "${owned[@]}"); a=$(best "${acl[@]}"); p=$(best "${policy[@]}")
    python3 -c "print(f'GET 4 KiB x $count, $clients client(s): owner {$o:5.0f} ops/s | other user by public-read ACL {$a:5.0f} ({$a / $o:.2f}x) | by 20-statement policy {$p:5.0f} ({$p / $o:.2f}x)')"
done
