#include "bench_support.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

void bench_write_stderr(const char *message) {
    fflush(stdout);
    fputs(message, stderr);
    fflush(stderr);
}

#if defined(__x86_64__)
__attribute__((target("avx"))) static void zero_upper(void) { _mm256_zeroupper(); }
#endif

void bench_clean_upper_state(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx")) zero_upper();
#endif
}

// MARK: memory-read baselines

static uint64_t xor_tail(const uint8_t *p, size_t length) {
    uint64_t r = 0;
    while (length >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        r ^= w;
        p += 8;
        length -= 8;
    }
    if (length) {
        uint64_t w = 0;
        memcpy(&w, p, length); // little-endian: byte i lands in bits 8i..8i+7
        r ^= w;
    }
    return r;
}

#if defined(__x86_64__)

// Eight accumulators in each variant, so the XORs never limit the load rate.

// The 128-bit loop, compiled twice: legacy SSE2 encoding (any x86_64) and VEX encoding. Where
// AVX exists the VEX copy is used: legacy SSE instructions that follow 256/512-bit code can pay
// for merging the dirty upper register halves, which would make this baseline look slow.
#define XOR_REDUCE_128_BODY \
    const uint8_t *p = data; \
    __m128i a[8]; \
    for (int i = 0; i < 8; i++) a[i] = _mm_setzero_si128(); \
    while (length >= 128) { \
        for (int i = 0; i < 8; i++) a[i] = _mm_xor_si128(a[i], _mm_loadu_si128((const __m128i *)(p + 16 * i))); \
        p += 128; \
        length -= 128; \
    } \
    while (length >= 16) { \
        a[0] = _mm_xor_si128(a[0], _mm_loadu_si128((const __m128i *)p)); \
        p += 16; \
        length -= 16; \
    } \
    for (int i = 1; i < 8; i++) a[0] = _mm_xor_si128(a[0], a[i]); \
    return (uint64_t)_mm_cvtsi128_si64(a[0]) ^ (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(a[0], a[0])) ^ \
           xor_tail(p, length);

static uint64_t xor_reduce_sse2(const void *data, size_t length) { XOR_REDUCE_128_BODY }

__attribute__((target("avx"))) static uint64_t xor_reduce_128_avx(const void *data, size_t length) { XOR_REDUCE_128_BODY }

__attribute__((target("avx2"))) static uint64_t xor_reduce_avx2(const void *data, size_t length) {
    const uint8_t *p = data;
    __m256i a[8];
    for (int i = 0; i < 8; i++) a[i] = _mm256_setzero_si256();
    while (length >= 256) {
        for (int i = 0; i < 8; i++) a[i] = _mm256_xor_si256(a[i], _mm256_loadu_si256((const __m256i *)(p + 32 * i)));
        p += 256;
        length -= 256;
    }
    while (length >= 32) {
        a[0] = _mm256_xor_si256(a[0], _mm256_loadu_si256((const __m256i *)p));
        p += 32;
        length -= 32;
    }
    for (int i = 1; i < 8; i++) a[0] = _mm256_xor_si256(a[0], a[i]);
    __m128i x = _mm_xor_si128(_mm256_castsi256_si128(a[0]), _mm256_extracti128_si256(a[0], 1));
    return (uint64_t)_mm_cvtsi128_si64(x) ^ (uint64_t)_mm_extract_epi64(x, 1) ^ xor_tail(p, length);
}

__attribute__((target("avx2,avx512f"))) static uint64_t xor_reduce_avx512(const void *data, size_t length) {
    const uint8_t *p = data;
    __m512i a[8];
    for (int i = 0; i < 8; i++) a[i] = _mm512_setzero_si512();
    while (length >= 512) {
        for (int i = 0; i < 8; i++) a[i] = _mm512_xor_si512(a[i], _mm512_loadu_si512((const void *)(p + 64 * i)));
        p += 512;
        length -= 512;
    }
    while (length >= 64) {
        a[0] = _mm512_xor_si512(a[0], _mm512_loadu_si512((const void *)p));
        p += 64;
        length -= 64;
    }
    for (int i = 1; i < 8; i++) a[0] = _mm512_xor_si512(a[0], a[i]);
    __m256i y = _mm256_xor_si256(_mm512_castsi512_si256(a[0]), _mm512_extracti64x4_epi64(a[0], 1));
    __m128i x = _mm_xor_si128(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
    return (uint64_t)_mm_cvtsi128_si64(x) ^ (uint64_t)_mm_extract_epi64(x, 1) ^ xor_tail(p, length);
}

static int has_avx(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx");
}

static int has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

static int has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f");
}

int bench_xor_reduce_variant_count(void) { return has_avx512() ? 3 : has_avx2() ? 2 : 1; }

const char *bench_xor_reduce_variant_name(int variant) {
    switch (variant) {
    case 0: return has_avx() ? "avx 128-bit" : "sse2 128-bit";
    case 1: return "avx2 256-bit";
    case 2: return "avx512 512-bit";
    default: return "?";
    }
}

uint64_t bench_xor_reduce(int variant, const void *data, size_t length) {
    switch (variant) {
    case 1: return xor_reduce_avx2(data, length);
    case 2: return xor_reduce_avx512(data, length);
    default: return has_avx() ? xor_reduce_128_avx(data, length) : xor_reduce_sse2(data, length);
    }
}

#else

static uint64_t xor_reduce_scalar(const void *data, size_t length) {
    const uint8_t *p = data;
    uint64_t a[8] = {0};
    while (length >= 64) {
        uint64_t w[8];
        memcpy(w, p, 64);
        for (int i = 0; i < 8; i++) a[i] ^= w[i];
        p += 64;
        length -= 64;
    }
    uint64_t r = xor_tail(p, length);
    for (int i = 0; i < 8; i++) r ^= a[i];
    return r;
}

int bench_xor_reduce_variant_count(void) { return 1; }

const char *bench_xor_reduce_variant_name(int variant) { return variant == 0 ? "scalar 64-bit" : "?"; }

uint64_t bench_xor_reduce(int variant, const void *data, size_t length) {
    (void)variant;
    return xor_reduce_scalar(data, length);
}

#endif

uint64_t bench_xor_reduce_reference(const void *data, size_t length) {
    const volatile uint8_t *p = data; // volatile: one byte at a time, no vectorisation
    uint64_t r = 0;
    for (size_t i = 0; i < length; i++) r ^= (uint64_t)p[i] << (8 * (i % 8));
    return r;
}
