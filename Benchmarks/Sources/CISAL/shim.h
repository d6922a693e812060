// ISA-L's CRC-64 functions. Debian's libisal-dev installs both <isa-l/crc64.h> and <isa-l.h>.
#ifndef BENCH_CISAL_SHIM_H
#define BENCH_CISAL_SHIM_H
#if __has_include(<isa-l/crc64.h>)
#include <isa-l/crc64.h>
#elif __has_include(<isa-l.h>)
#include <isa-l.h>
#else
#error "ISA-L headers not found: install libisal-dev (Debian/Ubuntu) or isa-l"
#endif
#if __has_include(<isa-l.h>)
#include <isa-l.h>
#endif
// ISA-L's 128-bit PCLMULQDQ implementation, which its dispatcher picks on CPUs without AVX-512
// (it has no AVX2-VPCLMULQDQ CRC-64). Exported but not in the public headers, so it is declared
// weak here: bench_isal_has_by8() says whether this build of ISA-L has it.
extern uint64_t crc64_ecma_refl_by8(uint64_t init_crc, const unsigned char *buf, uint64_t len)
    __attribute__((weak));
static inline int bench_isal_has_by8(void) { return crc64_ecma_refl_by8 != 0; }
static inline uint64_t bench_isal_by8(uint64_t init_crc, const unsigned char *buf, uint64_t len) {
    return crc64_ecma_refl_by8(init_crc, buf, len);
}

#ifdef ISAL_MAJOR_VERSION
#define BENCH_ISAL_VERSION_STRING_(a, b, c) #a "." #b "." #c
#define BENCH_ISAL_VERSION_STRING(a, b, c) BENCH_ISAL_VERSION_STRING_(a, b, c)
static inline const char *bench_isal_version(void) {
    return BENCH_ISAL_VERSION_STRING(ISAL_MAJOR_VERSION, ISAL_MINOR_VERSION, ISAL_PATCH_VERSION);
}
#else
static inline const char *bench_isal_version(void) { return "unknown"; }
#endif
#endif
