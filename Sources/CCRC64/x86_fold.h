// Shared 128-bit folding and Barrett reduction for the x86_64 kernels.
//
// A 16-byte block X, loaded little-endian, is L * x^64 + H: L is the low qword (the earlier,
// higher-degree bits), H the high qword. Folding X forward by D bits replaces it with
// L * (x^(D+63) mod P) * x + H * (x^(D-1) mod P) * x; a reflected carry-less product
// contributes the final factor x by itself.
#ifndef CCRC64_X86_FOLD_H
#define CCRC64_X86_FOLD_H

#if defined(__x86_64__)

#include "ccrc64.h"
#include <immintrin.h>

#define CCRC64_TARGET_PCLMUL __attribute__((target("pclmul,sse4.1")))
#define CCRC64_TARGET_AVX2 __attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq")))
#define CCRC64_TARGET_AVX512 \
    __attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq,avx512f,avx512vl,avx512bw")))

uint64_t ccrc64_kernel_pclmul(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length);
uint64_t ccrc64_kernel_vpclmul_avx2(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length);
uint64_t ccrc64_kernel_vpclmul_avx512(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length);
uint64_t ccrc64_shift_pclmul(const ccrc64_constants *c, uint64_t value, uint64_t byte_count);
ccrc64_pair ccrc64_dual_kernel_pclmul(const ccrc64_dual_constants *d, ccrc64_pair crc, const void *data, size_t length);
ccrc64_pair ccrc64_dual_kernel_vpclmul_avx2(const ccrc64_dual_constants *d, ccrc64_pair crc, const void *data, size_t length);
ccrc64_pair ccrc64_dual_kernel_vpclmul_avx512(const ccrc64_dual_constants *d, ccrc64_pair crc, const void *data, size_t length);

/// { x^(128k+63), x^(128k-1) } as one xmm: the constants that fold a block forward by k blocks.
static inline CCRC64_TARGET_PCLMUL __m128i ccrc64_fold_constant(const ccrc64_constants *c, int k) {
    return _mm_loadu_si128((const __m128i *)c->fold[k]);
}

static inline CCRC64_TARGET_PCLMUL __m128i ccrc64_fold128(__m128i x, __m128i k) {
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

/// Reduces Y (a 128-bit value, degree < 128) modulo P. With Y = Yh * x^64 + Yl and
/// mu = floor(x^127 / P): q = floor(Yh * mu / x^63) is the low qword of the reflected product,
/// and Y mod P = Yl + q * P mod x^64 = Yl ^ q ^ (q * (P - x^64 - 1) / x * x mod x^64).
static inline CCRC64_TARGET_PCLMUL uint64_t ccrc64_reduce128(const ccrc64_constants *c, __m128i y) {
    const __m128i barrett = _mm_loadu_si128((const __m128i *)&c->barrett_mu);
    __m128i q = _mm_clmulepi64_si128(y, barrett, 0x00);
    __m128i qp = _mm_clmulepi64_si128(q, barrett, 0x10);
    return (uint64_t)_mm_extract_epi64(_mm_xor_si128(y, qp), 1) ^ (uint64_t)_mm_cvtsi128_si64(q);
}

/// The register for a message whose folded remainder is the 16-byte block X: X * x^64 mod P.
static inline CCRC64_TARGET_PCLMUL uint64_t ccrc64_barrett(const ccrc64_constants *c, __m128i x) {
    __m128i y = _mm_clmulepi64_si128(x, _mm_loadu_si128((const __m128i *)c->fold[1]), 0x10);
    return ccrc64_reduce128(c, _mm_xor_si128(y, _mm_srli_si128(x, 8)));
}

/// Folds the remaining whole blocks into X, reduces, and finishes the tail.
///
/// Callers leave fewer than CCRC64_FOLD_STEPS blocks, so each block is folded straight to the
/// end with its own constant: the products are independent, and a 64-byte input costs one
/// multiply's latency instead of three in a chain.
static inline CCRC64_TARGET_PCLMUL uint64_t ccrc64_finish(const ccrc64_constants *c, __m128i x,
                                                         const uint8_t *p, size_t length) {
    const size_t blocks = length / 16;
    if (blocks) {
        __m128i sum = _mm_loadu_si128((const __m128i *)(p + 16 * (blocks - 1)));
        sum = _mm_xor_si128(sum, ccrc64_fold128(x, ccrc64_fold_constant(c, (int)blocks)));
        for (size_t i = 0; i + 1 < blocks; i++) {
            __m128i block = _mm_loadu_si128((const __m128i *)(p + 16 * i));
            sum = _mm_xor_si128(sum, ccrc64_fold128(block, ccrc64_fold_constant(c, (int)(blocks - 1 - i))));
        }
        x = sum;
        p += 16 * blocks;
        length -= 16 * blocks;
    }
    uint64_t crc = ccrc64_barrett(c, x);
    return length ? ccrc64_portable(c, crc, p, length) : crc;
}

/// Inputs of 16 to 63 bytes: 1 to 3 blocks folded straight to the end, then reduced. Inlined into
/// the wide kernels so that short inputs never leave their (VEX or EVEX) encoding.
static inline CCRC64_TARGET_PCLMUL uint64_t ccrc64_short(const ccrc64_constants *c, uint64_t crc,
                                                        const uint8_t *p, size_t length) {
    if (length < 16) return ccrc64_portable(c, crc, p, length);
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi64_si128((long long)crc));
    return ccrc64_finish(c, x, p + 16, length - 16);
}

#endif
#endif
