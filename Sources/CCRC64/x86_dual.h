// Shared 256-bit folding modulo Q = P1 * P2 for the x86_64 dual kernels (see ccrc64_dual_constants).
//
// A 256-bit value U is two 16-byte blocks F (the earlier, higher-degree one) and S: U = F x^128 + S.
// Folding U forward by D bits modulo Q replaces it with F (x^(D+127) mod Q) x + S (x^(D-1) mod Q) x,
// two 128 x 128-bit products of at most 256 bits, so the result is again such a value. Each product
// takes three carry-less multiplies (Karatsuba) instead of four; the two are summed before their
// middle terms are split across F and S. Modulo P1 or P2, U is the same message remainder, so the
// single kernels' reduction and tail finish it for each polynomial.
#ifndef CCRC64_X86_DUAL_H
#define CCRC64_X86_DUAL_H

#if defined(__x86_64__)

#include "x86_fold.h"

/// Below this many bytes a dual kernel runs the single kernel twice: appending the initial
/// registers (a multiply per hexadecimal digit of the length) and merging the accumulators would
/// cost more than the multiplies the shared pass saves.
#define CCRC64_DUAL_MINIMUM 2048

/// What a dual kernel does below CCRC64_DUAL_MINIMUM: `single`, its ISA's kernel, once per polynomial.
static inline __attribute__((always_inline)) ccrc64_pair ccrc64_dual_by_single(ccrc64_kernel_fn single,
                                                                              const ccrc64_dual_constants *d,
                                                                              ccrc64_pair crc, const void *data,
                                                                              size_t length) {
    return (ccrc64_pair){single(d->first, crc.first, data, length), single(d->second, crc.second, data, length)};
}

typedef struct ccrc64_u256 {
    __m128i f, s;
} ccrc64_u256;

static inline CCRC64_TARGET_PCLMUL ccrc64_u256 ccrc64_xor256(ccrc64_u256 a, ccrc64_u256 b) {
    return (ccrc64_u256){_mm_xor_si128(a.f, b.f), _mm_xor_si128(a.s, b.s)};
}

static inline CCRC64_TARGET_PCLMUL ccrc64_u256 ccrc64_load256(const uint8_t *p) {
    return (ccrc64_u256){_mm_loadu_si128((const __m128i *)p), _mm_loadu_si128((const __m128i *)(p + 16))};
}

/// U folded forward by 256j bits modulo Q, with k = d->fold[j].
static inline CCRC64_TARGET_PCLMUL ccrc64_u256 ccrc64_fold256(ccrc64_u256 u, const uint64_t k[6]) {
    const __m128i kf = _mm_loadu_si128((const __m128i *)k), ks = _mm_loadu_si128((const __m128i *)(k + 2));
    const __m128i km = _mm_loadu_si128((const __m128i *)(k + 4));
    const __m128i low = _mm_xor_si128(_mm_clmulepi64_si128(u.f, kf, 0x00), _mm_clmulepi64_si128(u.s, ks, 0x00));
    const __m128i high = _mm_xor_si128(_mm_clmulepi64_si128(u.f, kf, 0x11), _mm_clmulepi64_si128(u.s, ks, 0x11));
    const __m128i fsum = _mm_xor_si128(u.f, _mm_shuffle_epi32(u.f, 0x4e));
    const __m128i ssum = _mm_xor_si128(u.s, _mm_shuffle_epi32(u.s, 0x4e));
    const __m128i middle = _mm_xor_si128(
        _mm_xor_si128(_mm_clmulepi64_si128(fsum, km, 0x00), _mm_clmulepi64_si128(ssum, km, 0x10)),
        _mm_xor_si128(low, high));
    return (ccrc64_u256){_mm_xor_si128(low, _mm_slli_si128(middle, 8)), _mm_xor_si128(high, _mm_srli_si128(middle, 8))};
}

/// Folds the remaining 32-byte blocks into U (everything before `p`, modulo Q), finishes it for
/// each polynomial, and adds each initial register shifted over all `total` bytes: the shared
/// pass starts from zero, since the two registers differ.
static inline CCRC64_TARGET_PCLMUL ccrc64_pair ccrc64_dual_finish(const ccrc64_dual_constants *d, ccrc64_pair crc,
                                                                 ccrc64_u256 u, const uint8_t *p, size_t length,
                                                                 size_t total) {
    while (length >= 32) {
        u = ccrc64_xor256(ccrc64_fold256(u, d->fold[1]), ccrc64_load256(p));
        p += 32;
        length -= 32;
    }
    const ccrc64_constants *a = d->first, *b = d->second;
    const __m128i xa = _mm_xor_si128(ccrc64_fold128(u.f, ccrc64_fold_constant(a, 1)), u.s);
    const __m128i xb = _mm_xor_si128(ccrc64_fold128(u.f, ccrc64_fold_constant(b, 1)), u.s);
    return (ccrc64_pair){ccrc64_finish(a, xa, p, length) ^ ccrc64_shift_pclmul(a, crc.first, total),
                         ccrc64_finish(b, xb, p, length) ^ ccrc64_shift_pclmul(b, crc.second, total)};
}

#endif
#endif
