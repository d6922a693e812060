// x86_64 VPCLMULQDQ on 512-bit zmm registers: four accumulators, 256 bytes a round, with
// vpternlogq merging both products and the next data block in one instruction.
//
// On CPUs where a carry-less multiply costs the same whatever its width (AMD Zen 4), the
// number of multiply instructions decides the speed, so short inputs also go through zmm.
//
// The dual kernel (two polynomials, one load of each block) keeps four accumulators each.
#include "x86_fold.h"

#if defined(__x86_64__)

static inline CCRC64_TARGET_AVX512 __m512i fold512(__m512i z, __m512i k, __m512i data) {
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(z, k, 0x00),
                                     _mm512_clmulepi64_epi128(z, k, 0x11), data, 0x96);
}

static inline CCRC64_TARGET_AVX512 __m512i broadcast(const ccrc64_constants *c, int k) {
    return _mm512_broadcast_i32x4(ccrc64_fold_constant(c, k));
}

/// The four 16-byte blocks of `z`, folded onto the last one: one 128-bit state.
static inline CCRC64_TARGET_AVX512 __m128i reduce_lanes(const ccrc64_constants *c, __m512i z) {
    const __m512i k = _mm512_loadu_si512((const void *)c->fold_lanes);
    __m512i sum = _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(z, k, 0x00),
                                            _mm512_clmulepi64_epi128(z, k, 0x11),
                                            _mm512_maskz_mov_epi64(0xC0, z), 0x96);
    __m256i half = _mm256_xor_si256(_mm512_castsi512_si256(sum), _mm512_extracti64x4_epi64(sum, 1));
    return _mm_xor_si128(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1));
}

/// Four accumulators a 256-byte round apart folded onto the last one, independently of each other.
static inline CCRC64_TARGET_AVX512 __m512i merge4(const ccrc64_constants *c, const __m512i a[4]) {
    return _mm512_ternarylogic_epi64(fold512(a[0], broadcast(c, 12), a[3]),
                                     fold512(a[1], broadcast(c, 8), _mm512_setzero_si512()),
                                     fold512(a[2], broadcast(c, 4), _mm512_setzero_si512()), 0x96);
}

/// Folds the remaining 64-byte blocks into `z`, then its four lanes into one block, and finishes.
static inline CCRC64_TARGET_AVX512 uint64_t finish_zmm(const ccrc64_constants *c, __m512i z,
                                                       const uint8_t *p, size_t length) {
    const __m512i k4 = broadcast(c, 4);
    while (length >= 64) {
        z = fold512(z, k4, _mm512_loadu_si512((const void *)p));
        p += 64;
        length -= 64;
    }
    return ccrc64_finish(c, reduce_lanes(c, z), p, length);
}

/// 64 bytes and more. Out of line so that its stack frame (callee-saved registers, the
/// accumulators) is paid by long inputs only, not by the short path in front of it.
static CCRC64_TARGET_AVX512 __attribute__((noinline))
uint64_t fold_long(const ccrc64_constants *c, uint64_t crc, const uint8_t *p, size_t length) {
    const __m512i initial = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, (long long)crc);
    __m512i z;

    if (length >= 256) {
        __m512i a[4];
        for (int i = 0; i < 4; i++) a[i] = _mm512_loadu_si512((const void *)(p + 64 * i));
        a[0] = _mm512_xor_si512(a[0], initial);
        p += 256;
        length -= 256;

        const __m512i k16 = broadcast(c, 16);
        while (length >= 256) {
            for (int i = 0; i < 4; i++) a[i] = fold512(a[i], k16, _mm512_loadu_si512((const void *)(p + 64 * i)));
            p += 256;
            length -= 256;
        }
        z = merge4(c, a);
    } else {
        z = _mm512_xor_si512(_mm512_loadu_si512((const void *)p), initial);
        p += 64;
        length -= 64;
    }

    return finish_zmm(c, z, p, length);
}

CCRC64_TARGET_AVX512
uint64_t ccrc64_kernel_vpclmul_avx512(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    if (length < 64) return ccrc64_short(c, crc, data, length);
    return fold_long(c, crc, data, length);
}

/// 256 bytes and more, for two polynomials: each 64-byte load feeds an accumulator of each, so
/// one load serves two independent multiply chains.
static CCRC64_TARGET_AVX512 __attribute__((noinline))
ccrc64_pair fold_long_dual(const ccrc64_constants *ca, const ccrc64_constants *cb, ccrc64_pair crc,
                           const uint8_t *p, size_t length) {
    __m512i a[4], b[4];
    for (int i = 0; i < 4; i++) a[i] = b[i] = _mm512_loadu_si512((const void *)(p + 64 * i));
    a[0] = _mm512_xor_si512(a[0], _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, (long long)crc.first));
    b[0] = _mm512_xor_si512(b[0], _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, (long long)crc.second));
    p += 256;
    length -= 256;

    const __m512i ka = broadcast(ca, 16), kb = broadcast(cb, 16);
    while (length >= 256) {
        for (int i = 0; i < 4; i++) {
            const __m512i data = _mm512_loadu_si512((const void *)(p + 64 * i));
            a[i] = fold512(a[i], ka, data);
            b[i] = fold512(b[i], kb, data);
        }
        p += 256;
        length -= 256;
    }
    return (ccrc64_pair){finish_zmm(ca, merge4(ca, a), p, length), finish_zmm(cb, merge4(cb, b), p, length)};
}

CCRC64_TARGET_AVX512
ccrc64_pair ccrc64_dual_kernel_vpclmul_avx512(const ccrc64_constants *first, const ccrc64_constants *second,
                                              ccrc64_pair crc, const void *data, size_t length) {
    // Below one round there is little to share, and the single kernel has short paths.
    if (length < 256)
        return (ccrc64_pair){ccrc64_kernel_vpclmul_avx512(first, crc.first, data, length),
                             ccrc64_kernel_vpclmul_avx512(second, crc.second, data, length)};
    return fold_long_dual(first, second, crc, data, length);
}

#endif
