// Helpers for crc64-bench that are easier to get right in C: a monotonic clock, a memory-read
// baseline that provably touches every byte, and optimisation barriers.
#ifndef BENCH_SUPPORT_H
#define BENCH_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t bench_now_ns(void);

/// Memory-read baselines: XOR of every little-endian 64-bit word of [data, data+length), a
/// trailing partial word zero-extended, so every byte is read. There is one variant per load
/// width this CPU has, because the fastest width differs between cache- and DRAM-resident data:
/// on x86_64, 0 = 128-bit SSE2 loads, then 256-bit AVX2 and 512-bit AVX-512 where supported;
/// elsewhere 0 = 64-bit scalar (vectorised by the compiler).
int bench_xor_reduce_variant_count(void);

/// Short name of variant `variant`, e.g. "sse2 128-bit".
const char *bench_xor_reduce_variant_name(int variant);

/// Runs variant `variant` (0 ..< bench_xor_reduce_variant_count()).
uint64_t bench_xor_reduce(int variant, const void *data, size_t length);

/// The same value, one byte at a time: the reference every variant is checked against.
uint64_t bench_xor_reduce_reference(const void *data, size_t length);

/// `vzeroupper` where the CPU has AVX, so each measurement starts with clean upper vector state:
/// code that leaves the upper halves of ymm/zmm registers dirty (ISA-L's AVX-512 CRC does) makes
/// legacy-SSE code run after it slower, which would otherwise charge one candidate for another.
void bench_clean_upper_state(void);

/// Makes stdout line-buffered, so progress shows up when the output is piped (Swift 6 forbids
/// touching the `stdout` global from Swift).
void bench_line_buffer_stdout(void);

/// Writes `message` to stderr.
void bench_write_stderr(const char *message);

/// Returns `p` unchanged, but the compiler cannot know that: calls taking the result cannot be
/// hoisted out of a loop or constant-folded, even for functions declared pure.
static inline const void *bench_launder(const void *p) {
    __asm__ volatile("" : "+r"(p));
    return p;
}

/// Forces `v` to be computed (like benchmark::DoNotOptimize).
static inline void bench_consume(uint64_t v) {
    __asm__ volatile("" : : "r"(v) : "memory");
}

/// Returns `v` unchanged, opaque to the optimiser.
static inline uint64_t bench_opaque(uint64_t v) {
    __asm__ volatile("" : "+r"(v));
    return v;
}

#ifdef __cplusplus
}
#endif

#endif
