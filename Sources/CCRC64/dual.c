// The table of fused dual kernels: two polynomials over one buffer, each block loaded once.
#include "ccrc64.h"

#if defined(__x86_64__)
#include "x86_fold.h"
#endif

ccrc64_dual_kernel_fn ccrc64_dual_kernel(ccrc64_kernel_id id) {
#if defined(__x86_64__)
    switch (id) {
    case CCRC64_KERNEL_PCLMUL: return ccrc64_dual_kernel_pclmul;
    case CCRC64_KERNEL_VPCLMUL_AVX2: return ccrc64_dual_kernel_vpclmul_avx2;
    case CCRC64_KERNEL_VPCLMUL_AVX512: return ccrc64_dual_kernel_vpclmul_avx512;
    default: return 0;
    }
#else
    // arm64 PMULL has no fused form yet: two passes cost what two separate hashers cost.
    (void)id;
    return 0;
#endif
}
