// arm64 PMULL: eight 128-bit accumulators, 128 bytes a round; the EOR3 variant merges the two
// products and the next data block in one instruction.
//
// Same math as x86_pclmul.c / x86_fold.h: a 16-byte block loaded little-endian is L * x^64 + H
// (lane 0 = L, the earlier bytes); folding it forward by 128k bits is
// L * fold[k][0] ^ H * fold[k][1], and a reflected PMULL supplies the extra factor x by itself.
#include "arm64_pmull.h"
#include "shift.h"

#if defined(__aarch64__)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the PMULL kernels assume little-endian lane order"
#endif

#include <arm_neon.h>

// Function-level targets, so the package needs no global -march and one binary runs on CPUs
// without the extensions (cpu.c only hands these out when HWCAP says so). gcc and clang spell
// the features differently. gcc 12 declares its SHA3 intrinsics for "arch=armv8.2-a+sha3", and
// an always-inline intrinsic only inlines into a superset, so "+sha3" alone is not enough;
// every SHA3 CPU is at least Armv8.2-A, so the arch bump costs nothing.
#ifdef __clang__
#define CCRC64_TARGET_PMULL __attribute__((target("aes")))
#define CCRC64_TARGET_EOR3 __attribute__((target("aes,sha3")))
#else
#define CCRC64_TARGET_PMULL __attribute__((target("+crypto")))
#define CCRC64_TARGET_EOR3 __attribute__((target("arch=armv8.2-a+crypto+sha3")))
#endif

static inline CCRC64_TARGET_PMULL uint64x2_t load128(const uint8_t *p) {
    // Byte loads carry no alignment requirement, so any input pointer is fine.
    return vreinterpretq_u64_u8(vld1q_u8(p));
}

/// Lane 0 of a times lane 0 of b, carry-less.
static inline CCRC64_TARGET_PMULL uint64x2_t pmull_low(uint64x2_t a, uint64x2_t b) {
    return vreinterpretq_u64_p128(
        vmull_p64(vgetq_lane_p64(vreinterpretq_p64_u64(a), 0), vgetq_lane_p64(vreinterpretq_p64_u64(b), 0)));
}

/// Lane 1 of a times lane 1 of b, carry-less (PMULL2, no lane moves needed).
static inline CCRC64_TARGET_PMULL uint64x2_t pmull_high(uint64x2_t a, uint64x2_t b) {
    return vreinterpretq_u64_p128(vmull_high_p64(vreinterpretq_p64_u64(a), vreinterpretq_p64_u64(b)));
}

/// x folded forward by the distance of k, XORed with d.
static inline CCRC64_TARGET_PMULL uint64x2_t fold_xor(uint64x2_t x, uint64x2_t k, uint64x2_t d) {
    return veorq_u64(veorq_u64(pmull_low(x, k), pmull_high(x, k)), d);
}

static inline CCRC64_TARGET_EOR3 uint64x2_t fold_xor_eor3(uint64x2_t x, uint64x2_t k, uint64x2_t d) {
    return veor3q_u64(pmull_low(x, k), pmull_high(x, k), d);
}

/// Y mod P for a 128-bit Y, Barrett style; x86_fold.h's ccrc64_reduce128 derives it.
static inline CCRC64_TARGET_PMULL uint64_t reduce128(const ccrc64_constants *c, uint64x2_t y) {
    const uint64x2_t q = pmull_low(y, vdupq_n_u64(c->barrett_mu));
    const uint64x2_t qp = pmull_low(q, vdupq_n_u64(c->barrett_poly));
    return vgetq_lane_u64(veorq_u64(y, qp), 1) ^ vgetq_lane_u64(q, 0);
}

/// The register for a message whose folded remainder is the 16-byte block X: X * x^64 mod P.
static inline CCRC64_TARGET_PMULL uint64_t barrett(const ccrc64_constants *c, uint64x2_t x) {
    const uint64x2_t y = pmull_low(x, vdupq_n_u64(c->fold[1][1]));
    return reduce128(c, veorq_u64(y, vextq_u64(x, vdupq_n_u64(0), 1))); // y ^ { H, 0 }
}

// gcc -O2 does not unroll these short loops by itself, and then keeps the accumulators on the
// stack; unrolled, they stay in registers.
#define CCRC64_UNROLL _Pragma("GCC unroll 8")

// One body for both kernels: they differ only in FOLD_XOR, and an always-inline helper with the
// SHA3 target cannot be called from a shared function compiled without it.
#define CCRC64_PMULL_KERNEL(NAME, TARGET, FOLD_XOR)                                                   \
    TARGET uint64_t NAME(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {  \
        const uint8_t *p = data;                                                                      \
        if (length < 16) return ccrc64_portable(c, crc, p, length);                                   \
                                                                                                      \
        uint64x2_t x = veorq_u64(load128(p), vsetq_lane_u64(crc, vdupq_n_u64(0), 0));                 \
        p += 16;                                                                                      \
        length -= 16;                                                                                 \
        if (length >= 112) {                                                                          \
            /* Eight independent accumulators keep the PMULL pipeline full. */                        \
            uint64x2_t a[8];                                                                          \
            a[0] = x;                                                                                 \
            CCRC64_UNROLL for (int i = 1; i < 8; i++) a[i] = load128(p + 16 * (i - 1));               \
            p += 112;                                                                                 \
            length -= 112;                                                                            \
            const uint64x2_t k8 = vld1q_u64(c->fold[8]);                                              \
            while (length >= 128) {                                                                   \
                CCRC64_UNROLL for (int i = 0; i < 8; i++)                                             \
                    a[i] = FOLD_XOR(a[i], k8, load128(p + 16 * i));                                   \
                p += 128;                                                                             \
                length -= 128;                                                                        \
            }                                                                                         \
            /* a[i] lies 7 - i blocks before a[7]. */                                                 \
            x = a[7];                                                                                 \
            CCRC64_UNROLL for (int i = 0; i < 7; i++)                                                 \
                x = FOLD_XOR(a[i], vld1q_u64(c->fold[7 - i]), x);                                     \
        }                                                                                             \
        const uint64x2_t k1 = vld1q_u64(c->fold[1]);                                                  \
        while (length >= 16) {                                                                        \
            x = FOLD_XOR(x, k1, load128(p));                                                          \
            p += 16;                                                                                  \
            length -= 16;                                                                             \
        }                                                                                             \
        crc = barrett(c, x);                                                                          \
        return length ? ccrc64_portable(c, crc, p, length) : crc;                                     \
    }

CCRC64_PMULL_KERNEL(ccrc64_kernel_pmull, CCRC64_TARGET_PMULL, fold_xor)
CCRC64_PMULL_KERNEL(ccrc64_kernel_pmull_eor3, CCRC64_TARGET_EOR3, fold_xor_eor3)

/// a * b * x mod P with one carry-less multiply and a Barrett reduction.
static inline CCRC64_TARGET_PMULL uint64_t multiply_x(const ccrc64_constants *c, uint64_t a, uint64_t b) {
    return reduce128(c, pmull_low(vdupq_n_u64(a), vdupq_n_u64(b)));
}

CCRC64_TARGET_PMULL
uint64_t ccrc64_shift_pmull(const ccrc64_constants *c, uint64_t value, uint64_t byte_count) {
    return ccrc64_shift_with(c, value, byte_count, multiply_x);
}

#endif
