#!/usr/bin/env bash
# Runs the arm64 CRC-64 kernels for real, under qemu user-mode emulation, on any Linux host.
#
# Cross-compiles the CCRC64 sources with the arm64 kernels plus scripts/arm64/kernel_test.c,
# runs the test with `-cpu max` (so PMULL and SHA3 are present, and both kernels are required),
# and checks that the compiler really emitted PMULL/PMULL2 and EOR3. If clang can target arm64
# too, the kernels are built and run a second time with it: SwiftPM compiles C with clang, and
# the two compilers take different target attributes.
#
# Needs: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user (Debian/Ubuntu package names).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/Sources/CCRC64"
vectors="$root/Tests/CRC64Tests/Resources/crc64-vectors.txt"

if [ "$(uname -m)" = aarch64 ]; then
    # On an arm64 host the test runs natively; -cpu max does not apply, so the host decides
    # which kernels exist and none is required.
    cc=${CC:-cc} objdump=objdump clang_flags=() runner=() require=()
else
    cc=aarch64-linux-gnu-gcc objdump=aarch64-linux-gnu-objdump
    sysroot=/usr/aarch64-linux-gnu
    clang_flags=(--target=aarch64-linux-gnu --sysroot="$sysroot")
    runner=(qemu-aarch64 -cpu max -L "$sysroot")
    require=(--require pmull --require pmull-eor3)
    if ! command -v "$cc" >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
        echo "arm64 kernels: SKIPPED (install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)"
        exit 0
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sources=("$src/constants.c" "$src/portable.c" "$src/cpu.c" "$src/arm64_pmull.c" "$src/dispatch.c"
    "$src/builtin_constants.c" "$root/scripts/arm64/kernel_test.c")
flags=(-O2 -std=c11 -Wall -Wextra -Werror -I"$src/include" -I"$src")

run() { # binary
    "${runner[@]}" "$1" "${require[@]}" "$vectors"
}

# The kernels must use the instructions they exist for; a silent fallback to generic code
# would still pass the value checks.
uses() { # disassembly function instruction: does the function contain the instruction?
    awk -v fn="<$2>:" '$2 == fn {on = 1; next} /^$/ {on = 0} on' "$1" >"$work/function.dis"
    grep -qw "$3" "$work/function.dis"
}

check_disassembly() { # object label
    local dis="$work/$2.dis" want
    "$objdump" -d "$1" >"$dis"
    for want in "ccrc64_kernel_pmull pmull" "ccrc64_kernel_pmull pmull2" "ccrc64_kernel_pmull_eor3 pmull" \
        "ccrc64_kernel_pmull_eor3 pmull2" "ccrc64_kernel_pmull_eor3 eor3" "ccrc64_shift_pmull pmull"; do
        # shellcheck disable=SC2086 # function and instruction, split on purpose
        uses "$dis" $want || { echo "FAIL ($2 build): ${want% *} contains no ${want#* } instruction" >&2; exit 1; }
    done
    # The plain PMULL kernel must not need SHA3: it runs on CPUs without it.
    if uses "$dis" ccrc64_kernel_pmull eor3; then
        echo "FAIL ($2 build): ccrc64_kernel_pmull uses eor3" >&2
        exit 1
    fi
}

"$cc" "${flags[@]}" -c "$src/arm64_pmull.c" -o "$work/pmull-gcc.o"
command -v "$objdump" >/dev/null && check_disassembly "$work/pmull-gcc.o" gcc
"$cc" "${flags[@]}" "${sources[@]}" -o "$work/kernel_test-gcc"
run "$work/kernel_test-gcc"

if command -v clang >/dev/null && clang "${clang_flags[@]}" -x c -c /dev/null -o "$work/probe.o" 2>/dev/null; then
    objects=()
    for f in "${sources[@]}"; do
        o="$work/clang-$(basename "$f" .c).o"
        clang "${clang_flags[@]}" "${flags[@]}" -c "$f" -o "$o"
        objects+=("$o")
    done
    command -v "$objdump" >/dev/null && check_disassembly "$work/clang-arm64_pmull.o" clang
    "$cc" "${objects[@]}" -o "$work/kernel_test-clang" # gcc's driver knows the cross libc's startup files
    run "$work/kernel_test-clang" | sed 's/^arm64 kernels:/arm64 kernels, clang build:/'
fi
