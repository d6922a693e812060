// x86_64 VPCLMULQDQ on 512-bit zmm registers: four accumulators, 256 bytes a round, with
// vpternlogq merging both products and the next data block in one instruction.
//
// On CPUs where a carry-less multiply costs the same whatever its width (AMD Zen 4), the
// number of multiply instructions decides the speed, so short inputs also go through zmm.
//
// The dual kernel: eight 256-bit accumulators modulo P1 * P2, four to a pair of zmm registers.
#include "x86_dual.h"
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
        // Fold the accumulators onto the last one, independently of each other.
        z = _mm512_ternarylogic_epi64(fold512(a[0], broadcast(c, 12), a[3]),
                                      fold512(a[1], broadcast(c, 8), _mm512_setzero_si512()),
                                      fold512(a[2], broadcast(c, 4), _mm512_setzero_si512()), 0x96);
    } else {
        z = _mm512_xor_si512(_mm512_loadu_si512((const void *)p), initial);
        p += 64;
        length -= 64;
    }

    const __m512i k4 = broadcast(c, 4);
    while (length >= 64) {
        z = fold512(z, k4, _mm512_loadu_si512((const void *)p));
        p += 64;
        length -= 64;
    }
    return ccrc64_finish(c, reduce_lanes(c, z), p, length);
}

CCRC64_TARGET_AVX512
uint64_t ccrc64_kernel_vpclmul_avx512(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    if (length < 64) return ccrc64_short(c, crc, data, length);
    return fold_long(c, crc, data, length);
}

/// Four 256-bit values from 128 bytes: `f` gets the first block of each 32 bytes, `s` the second.
static inline CCRC64_TARGET_AVX512 void load_quad(const uint8_t *p, __m512i *f, __m512i *s) {
    const __m512i z0 = _mm512_loadu_si512((const void *)p), z1 = _mm512_loadu_si512((const void *)(p + 64));
    *f = _mm512_shuffle_i64x2(z0, z1, 0x88);
    *s = _mm512_shuffle_i64x2(z0, z1, 0xdd);
}

/// ccrc64_fold256 on four 256-bit values at once, one in each 128-bit lane of `f` and `s`, then
/// XORs in (`df`, `ds`). `k` holds the constants broadcast to every lane.
static inline CCRC64_TARGET_AVX512 void fold_quad(__m512i *f, __m512i *s, const __m512i k[3], __m512i df, __m512i ds) {
    const __m512i low = _mm512_xor_si512(_mm512_clmulepi64_epi128(*f, k[0], 0x00), _mm512_clmulepi64_epi128(*s, k[1], 0x00));
    const __m512i high = _mm512_xor_si512(_mm512_clmulepi64_epi128(*f, k[0], 0x11), _mm512_clmulepi64_epi128(*s, k[1], 0x11));
    const __m512i fsum = _mm512_xor_si512(*f, _mm512_shuffle_epi32(*f, (_MM_PERM_ENUM)0x4e));
    const __m512i ssum = _mm512_xor_si512(*s, _mm512_shuffle_epi32(*s, (_MM_PERM_ENUM)0x4e));
    const __m512i middle = _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(fsum, k[2], 0x00),
                                                     _mm512_clmulepi64_epi128(ssum, k[2], 0x10),
                                                     _mm512_xor_si512(low, high), 0x96);
    *f = _mm512_ternarylogic_epi64(low, _mm512_bslli_epi128(middle, 8), df, 0x96);
    *s = _mm512_ternarylogic_epi64(high, _mm512_bsrli_epi128(middle, 8), ds, 0x96);
}

static inline CCRC64_TARGET_AVX512 void broadcast_dual(const uint64_t fold[6], __m512i k[3]) {
    for (int i = 0; i < 3; i++) k[i] = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(fold + 2 * i)));
}

/// CCRC64_DUAL_MINIMUM bytes and more, modulo Q = P1 * P2: out of line like fold_long.
static CCRC64_TARGET_AVX512 __attribute__((noinline))
ccrc64_pair fold_long_dual(const ccrc64_dual_constants *d, ccrc64_pair crc, const uint8_t *p, size_t length) {
    const size_t total = length;
    __m512i f[2], s[2], k[3];
    for (int g = 0; g < 2; g++) load_quad(p + 128 * g, &f[g], &s[g]);
    p += 256;
    length -= 256;

    broadcast_dual(d->fold[8], k);
    while (length >= 256) {
        for (int g = 0; g < 2; g++) {
            __m512i df, ds;
            load_quad(p + 128 * g, &df, &ds);
            fold_quad(&f[g], &s[g], k, df, ds);
        }
        p += 256;
        length -= 256;
    }
    // The first quad onto the second, 128 bytes later, and on while 128 bytes remain.
    broadcast_dual(d->fold[4], k);
    fold_quad(&f[0], &s[0], k, f[1], s[1]);
    if (length >= 128) {
        __m512i df, ds;
        load_quad(p, &df, &ds);
        fold_quad(&f[0], &s[0], k, df, ds);
        p += 128;
        length -= 128;
    }
    // Each lane onto the last one, independently of each other.
    const ccrc64_u256 lane0 = {_mm512_castsi512_si128(f[0]), _mm512_castsi512_si128(s[0])};
    const ccrc64_u256 lane1 = {_mm512_extracti32x4_epi32(f[0], 1), _mm512_extracti32x4_epi32(s[0], 1)};
    const ccrc64_u256 lane2 = {_mm512_extracti32x4_epi32(f[0], 2), _mm512_extracti32x4_epi32(s[0], 2)};
    const ccrc64_u256 lane3 = {_mm512_extracti32x4_epi32(f[0], 3), _mm512_extracti32x4_epi32(s[0], 3)};
    const ccrc64_u256 u = ccrc64_xor256(ccrc64_xor256(ccrc64_fold256(lane0, d->fold[3]), lane3),
                                        ccrc64_xor256(ccrc64_fold256(lane1, d->fold[2]), ccrc64_fold256(lane2, d->fold[1])));
    return ccrc64_dual_finish(d, crc, u, p, length, total);
}

CCRC64_TARGET_AVX512
ccrc64_pair ccrc64_dual_kernel_vpclmul_avx512(const ccrc64_dual_constants *d, ccrc64_pair crc, const void *data,
                                              size_t length) {
    if (length < CCRC64_DUAL_MINIMUM) return ccrc64_dual_by_single(ccrc64_kernel_vpclmul_avx512, d, crc, data, length);
    return fold_long_dual(d, crc, data, length);
}

#endif
