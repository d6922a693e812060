#!/usr/bin/env bash
# One node on SQLite and files, then one, two and three nodes on PostgreSQL and SeaweedFS, under
# the same curl load, with the CPU of nodes, database and backend (a benchmark, never a test):
#
#   Benchmarks/cluster/nodes.sh [--count N] [--big-mib MIB]
#
# Uses the virtualenv of Benchmarks/server (created by peers.sh) and a release `oss`
# (OSS_BIN=path to use another one).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../server/common.sh
. "$root/Benchmarks/server/common.sh"
peers_venv "$root"
release_oss "$root"
exec "$venv/bin/python" "$here/nodes.py" --oss "$oss" --weed "$venv/bin/weed" "$@"
