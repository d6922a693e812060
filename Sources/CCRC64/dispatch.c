// The dispatched entry point: the fastest kernel this CPU supports, chosen once.
#include "ccrc64.h"

ccrc64_kernel_id ccrc64_best_kernel(void) {
    // The widest carry-less multiply first.
    static const ccrc64_kernel_id order[] = {
        CCRC64_KERNEL_VPCLMUL_AVX512, CCRC64_KERNEL_VPCLMUL_AVX2, CCRC64_KERNEL_PCLMUL,
        CCRC64_KERNEL_PMULL_EOR3, CCRC64_KERNEL_PMULL,
    };
    const uint32_t supported = ccrc64_supported_kernels();
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if ((supported & (1u << order[i])) && ccrc64_kernel(order[i])) return order[i];
    return CCRC64_KERNEL_PORTABLE;
}

#if defined(__ELF__) && defined(__GLIBC__) && (defined(__x86_64__) || defined(__aarch64__))

// glibc resolves the symbol when the program is loaded (IRELATIVE relocation), static or
// dynamic: every later call is a plain call into the chosen kernel. The resolver runs before
// most of the C runtime is set up; CPUID, XGETBV and getauxval are all it needs.
static ccrc64_kernel_fn resolve_checksum(void) { return ccrc64_kernel(ccrc64_best_kernel()); }

uint64_t ccrc64_checksum(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length)
    __attribute__((ifunc("resolve_checksum")));

#else

#include <stdatomic.h>

// Without indirect functions (macOS, musl): the choice is made on first use and kept. Racing
// first calls choose the same kernel, so a relaxed store is enough.
static _Atomic(ccrc64_kernel_fn) chosen;

uint64_t ccrc64_checksum(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    ccrc64_kernel_fn kernel = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (!kernel) {
        kernel = ccrc64_kernel(ccrc64_best_kernel());
        atomic_store_explicit(&chosen, kernel, memory_order_relaxed);
    }
    return kernel(c, crc, data, length);
}

#endif
