// x86_64 PCLMULQDQ: eight 128-bit accumulators, 128 bytes a round. The dual kernel: four 256-bit
// accumulators modulo P1 * P2, 128 bytes a round.
#include "x86_dual.h"
#include "x86_fold.h"
#include "shift.h"

#if defined(__x86_64__)

/// 64 bytes and more, out of line: its stack frame is paid by long inputs only.
static CCRC64_TARGET_PCLMUL __attribute__((noinline))
uint64_t fold_long(const ccrc64_constants *c, uint64_t crc, const uint8_t *p, size_t length) {

    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi64_si128((long long)crc));
    p += 16;
    length -= 16;
    if (length >= 112) {
        __m128i a[8];
        a[0] = x;
        for (int i = 1; i < 8; i++) a[i] = _mm_loadu_si128((const __m128i *)(p + 16 * (i - 1)));
        p += 112;
        length -= 112;
        const __m128i k8 = ccrc64_fold_constant(c, 8);
        while (length >= 128) {
            for (int i = 0; i < 8; i++)
                a[i] = _mm_xor_si128(ccrc64_fold128(a[i], k8), _mm_loadu_si128((const __m128i *)(p + 16 * i)));
            p += 128;
            length -= 128;
        }
        x = a[7];
        for (int i = 0; i < 7; i++) x = _mm_xor_si128(x, ccrc64_fold128(a[i], ccrc64_fold_constant(c, 7 - i)));
    }
    return ccrc64_finish(c, x, p, length);
}

CCRC64_TARGET_PCLMUL
uint64_t ccrc64_kernel_pclmul(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    if (length < 64) return ccrc64_short(c, crc, data, length);
    return fold_long(c, crc, data, length);
}

/// CCRC64_DUAL_MINIMUM bytes and more, modulo Q = P1 * P2: out of line like fold_long.
static CCRC64_TARGET_PCLMUL __attribute__((noinline))
ccrc64_pair fold_long_dual(const ccrc64_dual_constants *d, ccrc64_pair crc, const uint8_t *p, size_t length) {
    const size_t total = length;
    ccrc64_u256 a[4];
    for (int i = 0; i < 4; i++) a[i] = ccrc64_load256(p + 32 * i);
    p += 128;
    length -= 128;
    while (length >= 128) {
        for (int i = 0; i < 4; i++) a[i] = ccrc64_xor256(ccrc64_fold256(a[i], d->fold[4]), ccrc64_load256(p + 32 * i));
        p += 128;
        length -= 128;
    }
    ccrc64_u256 u = a[3];
    for (int i = 0; i < 3; i++) u = ccrc64_xor256(u, ccrc64_fold256(a[i], d->fold[3 - i]));
    return ccrc64_dual_finish(d, crc, u, p, length, total);
}

CCRC64_TARGET_PCLMUL
ccrc64_pair ccrc64_dual_kernel_pclmul(const ccrc64_dual_constants *d, ccrc64_pair crc, const void *data, size_t length) {
    if (length < CCRC64_DUAL_MINIMUM) return ccrc64_dual_by_single(ccrc64_kernel_pclmul, d, crc, data, length);
    return fold_long_dual(d, crc, data, length);
}

/// a * b * x mod P with one carry-less multiply and a Barrett reduction.
static inline CCRC64_TARGET_PCLMUL uint64_t multiply_x(const ccrc64_constants *c, uint64_t a, uint64_t b) {
    __m128i y = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)a), _mm_cvtsi64_si128((long long)b), 0x00);
    return ccrc64_reduce128(c, y);
}

CCRC64_TARGET_PCLMUL
uint64_t ccrc64_shift_pclmul(const ccrc64_constants *c, uint64_t value, uint64_t byte_count) {
    return ccrc64_shift_with(c, value, byte_count, multiply_x);
}

#endif
