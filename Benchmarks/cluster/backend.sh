#!/usr/bin/env bash
# swift-oss on blob files, swift-oss with its blobs in SeaweedFS (`--blobs`), and SeaweedFS
# itself, under the same curl load (a benchmark, never a test):
#
#   Benchmarks/cluster/backend.sh [--count N] [--big-mib MIB] [--rounds R]
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
exec "$venv/bin/python" "$here/backend.py" --oss "$oss" --weed "$venv/bin/weed" "$@"
