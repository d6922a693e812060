// x86_64 VPCLMULQDQ on 512-bit zmm registers: four accumulators, 256 bytes a round, with
// vpternlogq merging both products and the next data block in one instruction.
#include "x86_fold.h"

#if defined(__x86_64__)

static inline CCRC64_TARGET_AVX512 __m512i fold512(__m512i z, __m512i k, __m512i data) {
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(z, k, 0x00),
                                     _mm512_clmulepi64_epi128(z, k, 0x11), data, 0x96);
}

static inline CCRC64_TARGET_AVX512 __m512i broadcast(const ccrc64_constants *c, int k) {
    return _mm512_broadcast_i32x4(ccrc64_fold_constant(c, k));
}

CCRC64_TARGET_AVX512
uint64_t ccrc64_kernel_vpclmul_avx512(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    if (length < 256) return ccrc64_kernel_pclmul(c, crc, data, length);
    const uint8_t *p = data;

    __m512i a[4];
    for (int i = 0; i < 4; i++) a[i] = _mm512_loadu_si512((const void *)(p + 64 * i));
    a[0] = _mm512_xor_si512(a[0], _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, (long long)crc));
    p += 256;
    length -= 256;

    const __m512i k16 = broadcast(c, 16);
    while (length >= 256) {
        for (int i = 0; i < 4; i++) a[i] = fold512(a[i], k16, _mm512_loadu_si512((const void *)(p + 64 * i)));
        p += 256;
        length -= 256;
    }

    __m512i z = fold512(a[0], broadcast(c, 12), fold512(a[1], broadcast(c, 8), fold512(a[2], broadcast(c, 4), a[3])));

    const __m512i k4 = broadcast(c, 4);
    while (length >= 64) {
        z = fold512(z, k4, _mm512_loadu_si512((const void *)p));
        p += 64;
        length -= 64;
    }

    // 4 lanes to 2, 2 to 1.
    const __m256i k2 = _mm256_broadcastsi128_si256(ccrc64_fold_constant(c, 2));
    __m256i lo = _mm512_castsi512_si256(z);
    __m256i y = _mm256_ternarylogic_epi64(_mm256_clmulepi64_epi128(lo, k2, 0x00),
                                          _mm256_clmulepi64_epi128(lo, k2, 0x11),
                                          _mm512_extracti64x4_epi64(z, 1), 0x96);
    __m128i x = _mm_xor_si128(ccrc64_fold128(_mm256_castsi256_si128(y), ccrc64_fold_constant(c, 1)),
                              _mm256_extracti128_si256(y, 1));
    return ccrc64_finish(c, x, p, length);
}

#endif
