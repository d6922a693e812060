// CCRC64: carry-less CRC-64 kernels and CPU detection.
//
// This target holds arithmetic only: no policy, no allocation, no global state.
// The Swift module `CRC64` owns parameters, dispatch and the public API.
//
// Conventions shared by every function here:
// - CRCs are reflected (LSB-first). A "register" is the raw shift register, before
//   the final XOR; callers apply init and xorout.
// - A 64-bit value `v` represents the polynomial sum(bit i of v) * x^(63-i).
#ifndef CCRC64_H
#define CCRC64_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Largest multiple of 128 bits that the fold tables cover: 32 x 16 bytes = 512 bytes.
#define CCRC64_FOLD_STEPS 32

/// Everything a kernel needs for one polynomial. Built once by `ccrc64_constants_init`.
typedef struct ccrc64_constants {
    /// The reflected polynomial without its x^64 term.
    uint64_t polynomial;
    /// Slice-by-8 tables; `table[0]` is the classic byte-at-a-time table.
    uint64_t table[8][256];
    /// fold[k] = { x^(128k+63) mod P, x^(128k-1) mod P }, k = 1...CCRC64_FOLD_STEPS (index 0 unused).
    /// Folding a 128-bit block forward by 128k bits multiplies its low half by fold[k][0]
    /// and its high half by fold[k][1].
    uint64_t fold[CCRC64_FOLD_STEPS + 1][2];
    /// Barrett reduction: mu = floor(x^127 / P), and (P - x^64 - 1) / x.
    uint64_t barrett_mu;
    uint64_t barrett_poly;
    /// shift[j][d] = x^(8 * d * 16^j - 1) mod P, for appending d * 16^j zero bytes (combine).
    uint64_t shift[16][16];
    /// One 512-bit vector folding four consecutive blocks onto the fourth: fold[3], fold[2],
    /// fold[1], then zero (the last block is taken as it is).
    uint64_t fold_lanes[8];
} ccrc64_constants;

/// Fills `c` for the reflected polynomial `reflected_polynomial` (x^64 term omitted).
void ccrc64_constants_init(ccrc64_constants *c, uint64_t reflected_polynomial);

/// A kernel advances `crc_register` over `length` bytes at `data` (any alignment).
typedef uint64_t (*ccrc64_kernel_fn)(const ccrc64_constants *c, uint64_t crc_register,
                                     const void *data, size_t length);

/// Kernel identifiers. Values are stable: they are bit positions in `ccrc64_supported_kernels`.
typedef enum ccrc64_kernel_id {
    CCRC64_KERNEL_PORTABLE = 0,       ///< slice-by-8 tables, any CPU
    CCRC64_KERNEL_PCLMUL = 1,         ///< x86_64 PCLMULQDQ, 128-bit folds
    CCRC64_KERNEL_VPCLMUL_AVX2 = 2,   ///< x86_64 VPCLMULQDQ on 256-bit ymm
    CCRC64_KERNEL_VPCLMUL_AVX512 = 3, ///< x86_64 VPCLMULQDQ on 512-bit zmm
    CCRC64_KERNEL_PMULL = 4,          ///< arm64 PMULL, 128-bit folds
    CCRC64_KERNEL_PMULL_EOR3 = 5,     ///< arm64 PMULL with SHA3 EOR3 three-way XOR
    CCRC64_KERNEL_COUNT = 6
} ccrc64_kernel_id;

/// The constants of the built-in variants, as `ccrc64_constants_init` computes them, generated
/// at build time (builtin_constants.c) so that using them needs no initialisation.
extern const ccrc64_constants ccrc64_constants_xz;   ///< CRC-64/XZ (ECMA-182)
extern const ccrc64_constants ccrc64_constants_nvme; ///< CRC-64/NVME

/// Addresses of the built-in constants, for Swift (which cannot take a C global's address).
static inline const ccrc64_constants *ccrc64_xz(void) { return &ccrc64_constants_xz; }
static inline const ccrc64_constants *ccrc64_nvme(void) { return &ccrc64_constants_nvme; }

/// The fastest kernel this CPU supports, chosen once when the library is loaded (an ELF
/// indirect function where the platform has them): calling it costs a direct call, with no
/// check of a lazily initialised pointer on each call.
uint64_t ccrc64_checksum(const ccrc64_constants *c, uint64_t crc_register, const void *data, size_t length);

/// The kernel `ccrc64_checksum` runs.
ccrc64_kernel_id ccrc64_best_kernel(void);

/// Bit mask (1 << ccrc64_kernel_id) of kernels this build contains and this CPU can run.
uint32_t ccrc64_supported_kernels(void);

/// The kernel function for `id`, or NULL when this build has no such kernel.
ccrc64_kernel_fn ccrc64_kernel(ccrc64_kernel_id id);

/// Two registers, one for each of two polynomials run over the same bytes.
typedef struct ccrc64_pair {
    uint64_t first;
    uint64_t second;
} ccrc64_pair;

/// Everything a dual kernel needs for two polynomials P1 and P2. Built by `ccrc64_dual_constants_init`.
///
/// A dual kernel folds the input modulo Q = P1 * P2 (degree 128) with one set of 256-bit
/// accumulators and reduces the result modulo P1 and modulo P2 at the end: a 128 x 128-bit
/// carry-less product costs three multiplies (Karatsuba) where two separate CRCs spend four.
typedef struct ccrc64_dual_constants {
    const ccrc64_constants *first;  ///< P1's constants, for the reduction, the tail and the initial register
    const ccrc64_constants *second; ///< P2's constants
    /// fold[j] folds a 256-bit value forward by 256j bits modulo Q, j = 1...8 (index 0 unused):
    /// { x^(256j+127) mod Q, x^(256j-1) mod Q } as two 128-bit values (two qwords each), then the
    /// XOR of each one's two qwords, the Karatsuba middle factors.
    uint64_t fold[9][6];
} ccrc64_dual_constants;

/// Fills `d` for `first` and `second`, which must outlive it (any two polynomials, also the same
/// one twice). About 2,200 shifts of a 128-bit value: a few microseconds.
void ccrc64_dual_constants_init(ccrc64_dual_constants *d, const ccrc64_constants *first,
                                const ccrc64_constants *second);

/// A dual kernel advances `registers.first` with `d->first` and `registers.second` with
/// `d->second` over the same `length` bytes at `data` (any alignment), in one pass. Same results
/// as the kernel run once per polynomial.
typedef ccrc64_pair (*ccrc64_dual_kernel_fn)(const ccrc64_dual_constants *d, ccrc64_pair registers,
                                             const void *data, size_t length);

/// The dual form of kernel `id`, or NULL when this build has none for it (the caller then runs
/// the single kernel once per polynomial). Like `ccrc64_kernel`, it does not check the CPU.
ccrc64_dual_kernel_fn ccrc64_dual_kernel(ccrc64_kernel_id id);

/// `value * x^(8 * byte_count) mod P`: the register after `byte_count` zero bytes with no input.
/// O(log n): at most 16 multiplications. A non-zero `use_clmul` selects the carry-less multiply
/// instruction; the caller guarantees the CPU has it (PCLMUL or PMULL in `ccrc64_supported_kernels`).
uint64_t ccrc64_shift(const ccrc64_constants *c, uint64_t value, uint64_t byte_count, int use_clmul);

/// Portable primitives, also used by the vector kernels for short inputs and tails.
uint64_t ccrc64_portable(const ccrc64_constants *c, uint64_t crc_register, const void *data, size_t length);

/// a * b * x mod P, portable (bit-serial); used to build tables and by the portable shift.
uint64_t ccrc64_multiply_x_portable(uint64_t polynomial, uint64_t a, uint64_t b);

#ifdef __cplusplus
}
#endif

#endif
