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
