// x86_64 VPCLMULQDQ on 256-bit ymm registers: eight accumulators, 256 bytes a round.
//
// Inputs of 64 to 255 bytes use two ymm accumulators rather than the 128-bit kernel: a ymm
// multiply folds twice the bytes of an xmm one at the same cost on the CPUs that have it.
//
// The dual kernel: four 256-bit accumulators modulo P1 * P2, two to a pair of ymm registers.
#include "x86_dual.h"
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

CCRC64_TARGET_AVX2
uint64_t ccrc64_kernel_vpclmul_avx2(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    if (length < 64) return ccrc64_short(c, crc, data, length);
    return fold_long(c, crc, data, length);
}

/// Two 256-bit values from 64 bytes: `f` gets the first block of each 32 bytes, `s` the second.
static inline CCRC64_TARGET_AVX2 void load_pair(const uint8_t *p, __m256i *f, __m256i *s) {
    const __m256i y0 = load(p), y1 = load(p + 32);
    *f = _mm256_permute2x128_si256(y0, y1, 0x20);
    *s = _mm256_permute2x128_si256(y0, y1, 0x31);
}

/// ccrc64_fold256 on two 256-bit values at once, one in each 128-bit lane of `f` and `s`, then
/// XORs in (`df`, `ds`). `k` holds the constants broadcast to both lanes.
static inline CCRC64_TARGET_AVX2 void fold_pair(__m256i *f, __m256i *s, const __m256i k[3], __m256i df, __m256i ds) {
    const __m256i low = _mm256_xor_si256(_mm256_clmulepi64_epi128(*f, k[0], 0x00), _mm256_clmulepi64_epi128(*s, k[1], 0x00));
    const __m256i high = _mm256_xor_si256(_mm256_clmulepi64_epi128(*f, k[0], 0x11), _mm256_clmulepi64_epi128(*s, k[1], 0x11));
    const __m256i fsum = _mm256_xor_si256(*f, _mm256_shuffle_epi32(*f, 0x4e));
    const __m256i ssum = _mm256_xor_si256(*s, _mm256_shuffle_epi32(*s, 0x4e));
    const __m256i middle = _mm256_xor_si256(
        _mm256_xor_si256(_mm256_clmulepi64_epi128(fsum, k[2], 0x00), _mm256_clmulepi64_epi128(ssum, k[2], 0x10)),
        _mm256_xor_si256(low, high));
    *f = _mm256_xor_si256(_mm256_xor_si256(low, _mm256_slli_si256(middle, 8)), df);
    *s = _mm256_xor_si256(_mm256_xor_si256(high, _mm256_srli_si256(middle, 8)), ds);
}

static inline CCRC64_TARGET_AVX2 void broadcast_dual(const uint64_t fold[6], __m256i k[3]) {
    for (int i = 0; i < 3; i++) k[i] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(fold + 2 * i)));
}

/// CCRC64_DUAL_MINIMUM bytes and more, modulo Q = P1 * P2: out of line like fold_long.
static CCRC64_TARGET_AVX2 __attribute__((noinline))
ccrc64_pair fold_long_dual(const ccrc64_dual_constants *d, ccrc64_pair crc, const uint8_t *p, size_t length) {
    const size_t total = length;
    __m256i f[2], s[2], k[3];
    for (int g = 0; g < 2; g++) load_pair(p + 64 * g, &f[g], &s[g]);
    p += 128;
    length -= 128;

    broadcast_dual(d->fold[4], k);
    while (length >= 128) {
        for (int g = 0; g < 2; g++) {
            __m256i df, ds;
            load_pair(p + 64 * g, &df, &ds);
            fold_pair(&f[g], &s[g], k, df, ds);
        }
        p += 128;
        length -= 128;
    }
    // The first pair onto the second, 64 bytes later; then its first lane onto its second.
    broadcast_dual(d->fold[2], k);
    fold_pair(&f[0], &s[0], k, f[1], s[1]);
    const ccrc64_u256 first = {_mm256_castsi256_si128(f[0]), _mm256_castsi256_si128(s[0])};
    const ccrc64_u256 last = {_mm256_extracti128_si256(f[0], 1), _mm256_extracti128_si256(s[0], 1)};
    return ccrc64_dual_finish(d, crc, ccrc64_xor256(ccrc64_fold256(first, d->fold[1]), last), p, length, total);
}

CCRC64_TARGET_AVX2
ccrc64_pair ccrc64_dual_kernel_vpclmul_avx2(const ccrc64_dual_constants *d, ccrc64_pair crc, const void *data, size_t length) {
    if (length < CCRC64_DUAL_MINIMUM) return ccrc64_dual_by_single(ccrc64_kernel_vpclmul_avx2, d, crc, data, length);
    return fold_long_dual(d, crc, data, length);
}

#endif
