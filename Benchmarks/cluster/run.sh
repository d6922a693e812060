#!/usr/bin/env bash
# The cluster benchmarks (benchmarks, never tests), under the same curl load:
#
#   Benchmarks/cluster/run.sh backend [--count N] [--big-mib MIB] [--rounds R]
#       swift-oss on blob files, swift-oss with its blobs in SeaweedFS (`--blobs`), SeaweedFS itself
#   Benchmarks/cluster/run.sh s3 [--big-mib MIB] [--rounds R]
#       boto3's transfer manager (defaults, CRC on) against swift-oss's S3 API and SeaweedFS's
#   Benchmarks/cluster/run.sh nodes [--count N] [--big-mib MIB]
#       one node on SQLite and files, then one, two and three nodes on PostgreSQL and SeaweedFS,
#       with the CPU of nodes, database and backend
#
# Uses the virtualenv of Benchmarks/server (created by peers.sh) and a release `oss`
# (OSS_BIN=path to use another one).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
case "${1:-}" in
    backend | nodes | s3) benchmark="$1"; shift ;;
    *) echo "usage: $0 backend|nodes|s3 [options]" >&2; exit 2 ;;
esac
# shellcheck source=../server/common.sh
. "$root/Benchmarks/server/common.sh"
peers_venv "$root"
release_oss "$root"
exec "$venv/bin/python" "$here/$benchmark.py" --oss "$oss" --weed "$venv/bin/weed" "$@"
