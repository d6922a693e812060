#!/usr/bin/env bash
# Checks that the release build of the C kernels really uses wide carry-less multiplies:
# clang may narrow 256/512-bit VPCLMULQDQ to 128-bit, which would still be correct but slow.
#
#   Benchmarks/disassemble-kernels.sh
#
# Builds the CCRC64 target in release (through this package, in Benchmarks/.build, with the same
# flags as a release build of the main package; no ISA-L or liblzma needed), disassembles
# x86_avx2.c.o and x86_avx512.c.o, and prints OK or FAIL per kernel:
#   vpclmulqdq-avx2    needs vpclmul*qdq on %ymm, and no %zmm at all (it must run on AVX2-only CPUs)
#   vpclmulqdq-avx512  needs vpclmul*qdq on %zmm
# (GNU objdump prints VPCLMULQDQ as vpclmullqlqdq, vpclmulhqhqdq, ... depending on the immediate.)
# Exits 1 if any check fails, 0 otherwise (and on non-x86_64 hosts, where there is nothing to check).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ "$(uname -m)" != "x86_64" ]]; then
    echo "SKIP: $(uname -m) host; the VPCLMULQDQ kernels are x86_64 only"
    exit 0
fi

objdump_bin=""
for candidate in objdump llvm-objdump; do
    if command -v "$candidate" >/dev/null 2>&1; then objdump_bin="$candidate"; break; fi
done
if [[ -z "$objdump_bin" ]]; then
    echo "disassemble-kernels.sh: needs objdump (Debian: binutils) or llvm-objdump" >&2
    exit 2
fi

echo "Building CCRC64 (release)..."
swift build -c release --package-path "$here" --target CCRC64 >/dev/null
bin="$(swift build -c release --package-path "$here" --show-bin-path)"
objects="$bin/CCRC64.build"

status=0
check() { # kernel object wide-register forbidden-register-or-empty
    local kernel="$1" object="$objects/$2" wide="$3" forbidden="$4"
    if [[ ! -f "$object" ]]; then
        echo "FAIL $kernel: $object not found"
        status=1
        return
    fi
    local listing
    listing="$("$objdump_bin" -d --no-show-raw-insn "$object")"
    local clmul
    clmul="$(grep -E $'\tv?pclmul[a-z]*qdq' <<<"$listing" || true)"
    local n_xmm n_ymm n_zmm
    n_xmm="$(grep -c '%xmm' <<<"$clmul" || true)"
    n_ymm="$(grep -c '%ymm' <<<"$clmul" || true)"
    n_zmm="$(grep -c '%zmm' <<<"$clmul" || true)"
    local summary="(v)pclmul*qdq: $n_zmm on zmm, $n_ymm on ymm, $n_xmm on xmm"
    local wide_count
    case "$wide" in
        ymm) wide_count="$n_ymm" ;;
        zmm) wide_count="$n_zmm" ;;
    esac
    if [[ "$wide_count" -eq 0 ]]; then
        echo "FAIL $kernel ($2): no vpclmul*qdq on %$wide ($summary): the compiler narrowed the carry-less multiplies"
        status=1
    elif [[ -n "$forbidden" ]] && grep -q "%$forbidden" <<<"$listing"; then
        echo "FAIL $kernel ($2): uses %$forbidden registers, which AVX2-only CPUs lack ($summary)"
        status=1
    else
        echo "OK   $kernel ($2): $summary"
    fi
}

check vpclmulqdq-avx2 x86_avx2.c.o ymm zmm
check vpclmulqdq-avx512 x86_avx512.c.o zmm ""
exit "$status"
