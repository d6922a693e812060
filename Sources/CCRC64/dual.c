// Two polynomials in one pass: the constants of Q = P1 * P2, and the table of dual kernels.
#include "ccrc64.h"

#include <string.h>

#if defined(__x86_64__)
#include "x86_fold.h"
#endif

typedef unsigned __int128 u128;

/// The reflected carry-less product of two 64-bit values: a * b * x as a 128-bit value.
static u128 carryless_multiply(uint64_t a, uint64_t b) {
    u128 r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1) r ^= (u128)a << i;
    return r;
}

void ccrc64_dual_constants_init(ccrc64_dual_constants *d, const ccrc64_constants *first,
                                const ccrc64_constants *second) {
    memset(d, 0, sizeof *d);
    d->first = first;
    d->second = second;

    // Q = (x^64 + R1)(x^64 + R2) = x^128 + R1 R2 + x^64 (R1 + R2). In 128-bit reflected form x^64 R
    // is R in the low qword, and R1 R2 is the carry-less product moved one degree down.
    const u128 q = (carryless_multiply(first->polynomial, second->polynomial) << 1) ^ first->polynomial ^
                   second->polynomial;

    // One pass over x^0, x^1, ... collects every x^(256j-1) and x^(256j+127).
    u128 power = (u128)1 << 127; // x^0
    for (int n = 0; n <= 256 * 8 + 127; n++) {
        if (n % 256 == 255) memcpy(&d->fold[(n + 1) / 256][2], &power, sizeof power);
        if (n % 256 == 127 && n >= 383) memcpy(&d->fold[(n - 127) / 256][0], &power, sizeof power);
        power = (power >> 1) ^ ((power & 1) ? q : 0);
    }
    for (int j = 1; j <= 8; j++) {
        d->fold[j][4] = d->fold[j][0] ^ d->fold[j][1];
        d->fold[j][5] = d->fold[j][2] ^ d->fold[j][3];
    }
}

ccrc64_dual_kernel_fn ccrc64_dual_kernel(ccrc64_kernel_id id) {
#if defined(__x86_64__)
    switch (id) {
    case CCRC64_KERNEL_PCLMUL: return ccrc64_dual_kernel_pclmul;
    case CCRC64_KERNEL_VPCLMUL_AVX2: return ccrc64_dual_kernel_vpclmul_avx2;
    case CCRC64_KERNEL_VPCLMUL_AVX512: return ccrc64_dual_kernel_vpclmul_avx512;
    default: return 0;
    }
#else
    // No dual form for arm64 PMULL yet: the caller runs the single kernel once per polynomial.
    (void)id;
    return 0;
#endif
}
