// Slice-by-8: the portable kernel, and the short-input and tail path of the vector kernels.
#include "ccrc64.h"
#include "shift.h"

#include <string.h>

static inline uint64_t load_le64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

uint64_t ccrc64_portable(const ccrc64_constants *c, uint64_t crc, const void *data, size_t length) {
    const uint8_t *p = data;
    const uint64_t (*t)[256] = c->table;
    while (length >= 8) {
        crc ^= load_le64(p);
        crc = t[7][crc & 0xff] ^ t[6][(crc >> 8) & 0xff] ^ t[5][(crc >> 16) & 0xff] ^
              t[4][(crc >> 24) & 0xff] ^ t[3][(crc >> 32) & 0xff] ^ t[2][(crc >> 40) & 0xff] ^
              t[1][(crc >> 48) & 0xff] ^ t[0][crc >> 56];
        p += 8;
        length -= 8;
    }
    while (length--) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

static uint64_t multiply_x(const ccrc64_constants *c, uint64_t a, uint64_t b) {
    return ccrc64_multiply_x_portable(c->polynomial, a, b);
}

uint64_t ccrc64_shift_portable(const ccrc64_constants *c, uint64_t value, uint64_t byte_count);
uint64_t ccrc64_shift_portable(const ccrc64_constants *c, uint64_t value, uint64_t byte_count) {
    return ccrc64_shift_with(c, value, byte_count, multiply_x);
}
