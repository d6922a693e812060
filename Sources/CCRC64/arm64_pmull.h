// arm64 PMULL kernels: the same 128-bit folding and Barrett reduction as the x86_64 PCLMULQDQ
// kernel (see x86_fold.h for the math), on NEON registers.
#ifndef CCRC64_ARM64_PMULL_H
#define CCRC64_ARM64_PMULL_H

#if defined(__aarch64__)

#include "ccrc64.h"

/// PMULL (FEAT_PMULL); the caller checks HWCAP_PMULL.
uint64_t ccrc64_kernel_pmull(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length);
/// PMULL plus the SHA3 extension's EOR3; the caller checks HWCAP_PMULL and HWCAP_SHA3.
uint64_t ccrc64_kernel_pmull_eor3(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length);
/// `value * x^(8 * byte_count) mod P` with PMULL; the caller checks HWCAP_PMULL.
uint64_t ccrc64_shift_pmull(const ccrc64_constants *c, uint64_t value, uint64_t byte_count);

#endif
#endif
