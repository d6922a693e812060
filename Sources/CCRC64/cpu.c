// CPU feature detection and the kernel table.
#include "ccrc64.h"

#if defined(__x86_64__)
#include "x86_fold.h"
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t ccrc64_supported_kernels(void) {
    uint32_t mask = 1u << CCRC64_KERNEL_PORTABLE;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return mask;
    const int pclmul = (c >> 1) & 1, sse41 = (c >> 19) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (pclmul && sse41) mask |= 1u << CCRC64_KERNEL_PCLMUL;
    if (!(pclmul && sse41 && osxsave && avx)) return mask;

    const uint64_t xcr0 = read_xcr0();
    const int ymm_state = (xcr0 & 0x6) == 0x6;
    const int zmm_state = (xcr0 & 0xe6) == 0xe6;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return mask;
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    const int vpclmul = (c >> 10) & 1;
    if (ymm_state && avx2 && vpclmul) mask |= 1u << CCRC64_KERNEL_VPCLMUL_AVX2;
    if (zmm_state && avx2 && vpclmul && avx512f && avx512bw && avx512vl)
        mask |= 1u << CCRC64_KERNEL_VPCLMUL_AVX512;
    return mask;
}

ccrc64_kernel_fn ccrc64_kernel(ccrc64_kernel_id id) {
    switch (id) {
    case CCRC64_KERNEL_PORTABLE: return ccrc64_portable;
    case CCRC64_KERNEL_PCLMUL: return ccrc64_kernel_pclmul;
    case CCRC64_KERNEL_VPCLMUL_AVX2: return ccrc64_kernel_vpclmul_avx2;
    case CCRC64_KERNEL_VPCLMUL_AVX512: return ccrc64_kernel_vpclmul_avx512;
    default: return 0;
    }
}

#elif defined(__aarch64__)
#include "arm64_pmull.h"
#include <sys/auxv.h>
#ifndef HWCAP_PMULL
#define HWCAP_PMULL (1 << 4)
#endif
#ifndef HWCAP_SHA3
#define HWCAP_SHA3 (1 << 17)
#endif

uint32_t ccrc64_supported_kernels(void) {
    uint32_t mask = 1u << CCRC64_KERNEL_PORTABLE;
    const unsigned long hwcap = getauxval(AT_HWCAP);
    if (hwcap & HWCAP_PMULL) mask |= 1u << CCRC64_KERNEL_PMULL;
    if ((hwcap & HWCAP_PMULL) && (hwcap & HWCAP_SHA3)) mask |= 1u << CCRC64_KERNEL_PMULL_EOR3;
    return mask;
}

ccrc64_kernel_fn ccrc64_kernel(ccrc64_kernel_id id) {
    switch (id) {
    case CCRC64_KERNEL_PORTABLE: return ccrc64_portable;
    case CCRC64_KERNEL_PMULL: return ccrc64_kernel_pmull;
    case CCRC64_KERNEL_PMULL_EOR3: return ccrc64_kernel_pmull_eor3;
    default: return 0;
    }
}

#else

uint32_t ccrc64_supported_kernels(void) { return 1u << CCRC64_KERNEL_PORTABLE; }

ccrc64_kernel_fn ccrc64_kernel(ccrc64_kernel_id id) {
    return id == CCRC64_KERNEL_PORTABLE ? ccrc64_portable : 0;
}

#endif

uint64_t ccrc64_shift_portable(const ccrc64_constants *c, uint64_t value, uint64_t byte_count);

uint64_t ccrc64_shift(const ccrc64_constants *c, uint64_t value, uint64_t byte_count, int use_clmul) {
#if defined(__x86_64__)
    if (use_clmul) return ccrc64_shift_pclmul(c, value, byte_count);
#elif defined(__aarch64__)
    if (use_clmul) return ccrc64_shift_pmull(c, value, byte_count);
#endif
    (void)use_clmul;
    return ccrc64_shift_portable(c, value, byte_count);
}
