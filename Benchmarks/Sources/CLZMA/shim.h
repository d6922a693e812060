// liblzma (XZ Utils): lzma_crc64 and lzma_version_string.
#ifndef BENCH_CLZMA_SHIM_H
#define BENCH_CLZMA_SHIM_H
#if __has_include(<lzma.h>)
#include <lzma.h>
#else
#error "lzma.h not found: install liblzma-dev (Debian/Ubuntu) or xz"
#endif
#endif
