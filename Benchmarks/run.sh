#!/usr/bin/env bash
# Runs the CRC-64 benchmark: swift-oss against ISA-L and liblzma, in one process.
#
#   Benchmarks/run.sh [--quick] [--rounds N] [--min-time-ms MS] [--seed S]
#
# Installs nothing: it checks that the anchor libraries can be compiled and linked against,
# says what to install when they cannot, then runs `swift run -c release crc64-bench`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cc="${CC:-cc}"

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "run.sh: no C compiler ($cc) to check for the libraries; trying the build anyway" >&2
else
    missing=()
    probe() { # name header-test symbol-call lib
        local tmp
        tmp="$(mktemp -d)"
        printf '%s\nint main(void) { return (int)(%s); }\n' "$2" "$3" >"$tmp/probe.c"
        if ! "$cc" "$tmp/probe.c" -o "$tmp/probe" "-l$4" >/dev/null 2>&1; then missing+=("$1"); fi
        rm -rf "$tmp"
    }
    probe "ISA-L (Debian/Ubuntu: libisal-dev; Fedora: isa-l-devel; Homebrew: isa-l)" \
        '#if __has_include(<isa-l/crc64.h>)
#include <isa-l/crc64.h>
#else
#include <isa-l.h>
#endif' 'crc64_ecma_refl(0, (const unsigned char *)"", 0)' isal
    probe "liblzma (Debian/Ubuntu: liblzma-dev; Fedora: xz-devel; Homebrew: xz)" \
        '#include <lzma.h>' 'lzma_crc64((const uint8_t *)"", 0, 0)' lzma
    if ((${#missing[@]})); then
        echo "run.sh: the benchmark links these libraries, which are missing (headers or library):" >&2
        for m in "${missing[@]}"; do echo "  - $m" >&2; done
        echo "e.g. on Debian/Ubuntu: sudo apt-get install libisal-dev liblzma-dev" >&2
        exit 2
    fi
fi

cd "$here"
exec swift run -c release crc64-bench "$@"
