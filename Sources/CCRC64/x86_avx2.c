// x86_64 VPCLMULQDQ on 256-bit ymm registers: eight accumulators, 256 bytes a round.
//
// Inputs of 64 to 255 bytes use two ymm accumulators rather than the 128-bit kernel: a ymm
// multiply folds twice the bytes of an xmm one at the same cost on the CPUs that have it.
//
// The dual kernel (two polynomials, one load of each block) keeps four accumulators a polynomial.
#include "x86_fold.h"

#if defined(__x86_64__)

static inline CCRC64_TARGET_AVX2 __m256i fold256(__m256i y, __m256i k) {
    return _mm256_xor_si256(_mm256_clmulepi64_epi128(y, k, 0x00), _mm256_clmulepi64_epi128(y, k, 0x11));
}

static inline CCRC64_TARGET_AVX2 __m256i broadcast(const ccrc64_constants *c, int k) {
    return _mm256_broadcastsi128_si256(ccrc64_fold_constant(c, k));
}

static inline CCRC64_TARGET_AVX2 __m256i load(const uint8_t *p) {
    return _mm256_loadu_si256((const __m256i *)p);
}

/// Folds the remaining 32-byte blocks into `y`, then its two lanes into one block, and finishes.
static inline CCRC64_TARGET_AVX2 uint64_t finish_ymm(const ccrc64_constants *c, __m256i y,
                                                     const uint8_t *p, size_t length) {
    const __m256i k2 = broadcast(c, 2);
    while (length >= 32) {
        y = _mm256_xor_si256(fold256(y, k2), load(p));
        p += 32;
        length -= 32;
    }
    __m128i x = _mm_xor_si128(ccrc64_fold128(_mm256_castsi256_si128(y), ccrc64_fold_constant(c, 1)),
                              _mm256_extracti128_si256(y, 1));
    return ccrc64_finish(c, x, p, length);
}

/// 64 bytes and more, out of line: its stack frame is paid by long inputs only.
static CCRC64_TARGET_AVX2 __attribute__((noinline))
uint64_t fold_long(const ccrc64_constants *c, uint64_t crc, const uint8_t *p, size_t length) {
    const __m256i initial = _mm256_set_epi64x(0, 0, 0, (long long)crc);
    __m256i y;

    if (length >= 256) {
        __m256i a[8];
        for (int i = 0; i < 8; i++) a[i] = load(p + 32 * i);
        a[0] = _mm256_xor_si256(a[0], initial);
        p += 256;
        length -= 256;

        const __m256i k16 = broadcast(c, 16);
        while (length >= 256) {
            for (int i = 0; i < 8; i++) a[i] = _mm256_xor_si256(fold256(a[i], k16), load(p + 32 * i));
            p += 256;
            length -= 256;
        }
        // Fold every accumulator onto the last one, independently, then sum as a tree.
        for (int i = 0; i < 7; i++) a[i] = fold256(a[i], broadcast(c, 2 * (7 - i)));
        y = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(a[0], a[1]), _mm256_xor_si256(a[2], a[3])),
                             _mm256_xor_si256(_mm256_xor_si256(a[4], a[5]), _mm256_xor_si256(a[6], a[7])));
    } else {
        __m256i y0 = _mm256_xor_si256(load(p), initial), y1 = load(p + 32);
        p += 64;
        length -= 64;
        const __m256i k4 = broadcast(c, 4);
        while (length >= 64) {
            y0 = _mm256_xor_si256(fold256(y0, k4), load(p));
            y1 = _mm256_xor_si256(fold256(y1, k4), load(p + 32));
            p += 64;
            length -= 64;
        }
        y = _mm256_xor_si256(fold256(y0, broadcast(c, 2)), y1);
    }
    return finish_ymm(c, y, p, length);
}

CCRC64_TARGET_AVX2
uint64_t ccrc64_kernel_vpclmul_avx2(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    if (length < 64) return ccrc64_short(c, crc, data, length);
    return fold_long(c, crc, data, length);
}

/// 128 bytes and more, for two polynomials: each 32-byte load feeds an accumulator of each.
/// Four accumulators a polynomial, not eight: sixteen would leave no ymm register for the two
/// fold constants and the loaded block, and eight independent chains already keep the
/// multiplier busy.
static CCRC64_TARGET_AVX2 __attribute__((noinline))
ccrc64_pair fold_long_dual(const ccrc64_constants *ca, const ccrc64_constants *cb, ccrc64_pair crc,
                           const uint8_t *p, size_t length) {
    __m256i a[4], b[4];
    for (int i = 0; i < 4; i++) a[i] = b[i] = load(p + 32 * i);
    a[0] = _mm256_xor_si256(a[0], _mm256_set_epi64x(0, 0, 0, (long long)crc.first));
    b[0] = _mm256_xor_si256(b[0], _mm256_set_epi64x(0, 0, 0, (long long)crc.second));
    p += 128;
    length -= 128;

    const __m256i ka = broadcast(ca, 8), kb = broadcast(cb, 8);
    while (length >= 128) {
        for (int i = 0; i < 4; i++) {
            const __m256i data = load(p + 32 * i);
            a[i] = _mm256_xor_si256(fold256(a[i], ka), data);
            b[i] = _mm256_xor_si256(fold256(b[i], kb), data);
        }
        p += 128;
        length -= 128;
    }
    // Each accumulator folded onto the last one, independently, then summed as a tree.
    for (int i = 0; i < 3; i++) {
        a[i] = fold256(a[i], broadcast(ca, 2 * (3 - i)));
        b[i] = fold256(b[i], broadcast(cb, 2 * (3 - i)));
    }
    const __m256i ya = _mm256_xor_si256(_mm256_xor_si256(a[0], a[1]), _mm256_xor_si256(a[2], a[3]));
    const __m256i yb = _mm256_xor_si256(_mm256_xor_si256(b[0], b[1]), _mm256_xor_si256(b[2], b[3]));
    return (ccrc64_pair){finish_ymm(ca, ya, p, length), finish_ymm(cb, yb, p, length)};
}

CCRC64_TARGET_AVX2
ccrc64_pair ccrc64_dual_kernel_vpclmul_avx2(const ccrc64_constants *first, const ccrc64_constants *second,
                                            ccrc64_pair crc, const void *data, size_t length) {
    // Below one round there is little to share, and the single kernel has short paths.
    if (length < 128)
        return (ccrc64_pair){ccrc64_kernel_vpclmul_avx2(first, crc.first, data, length),
                             ccrc64_kernel_vpclmul_avx2(second, crc.second, data, length)};
    return fold_long_dual(first, second, crc, data, length);
}

#endif
