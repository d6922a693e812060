#!/usr/bin/env bash
# `oss sync` of a tree of small files, side by side in one run against one swift-oss server
# (a benchmark, never a test): `oss sync` to an empty prefix and its no-change re-run,
# `aws s3 sync` (the AWS CLI through the server's S3 API) the same two ways, and `oss cp -r`.
#
#   Benchmarks/client/sync.sh [--files N] [--rounds R]      (default 10000 files, 1 round)
#
# Uses the virtualenv of Benchmarks/server (awscli added on first use) and a release `oss`
# (OSS_BIN=path to use another one).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../server/common.sh
. "$root/Benchmarks/server/common.sh"
peers_venv "$root"
[ -x "$venv/bin/aws" ] || "$venv/bin/pip" install -q awscli==1.46.3
release_oss "$root"
exec "$venv/bin/python" "$here/sync.py" --oss "$oss" --aws "$venv/bin/aws" "$@"
