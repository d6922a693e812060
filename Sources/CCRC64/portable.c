// Slice-by-8: the portable kernel, and the short-input and tail path of the vector kernels.
#include "ccrc64.h"

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

static uint64_t multiply_tree(const ccrc64_constants *c, uint64_t *factors, int count) {
    // Each factor is x^(e-1); a product of x^(a-1) and x^(b-1) times x is x^(a+b-1).
    while (count > 1) {
        int half = 0;
        for (int i = 0; i + 1 < count; i += 2)
            factors[half++] = ccrc64_multiply_x_portable(c->polynomial, factors[i], factors[i + 1]);
        if (count & 1) factors[half++] = factors[count - 1];
        count = half;
    }
    return factors[0];
}

uint64_t ccrc64_shift_portable(const ccrc64_constants *c, uint64_t value, uint64_t byte_count);
uint64_t ccrc64_shift_portable(const ccrc64_constants *c, uint64_t value, uint64_t byte_count) {
    uint64_t factors[16];
    int count = 0;
    for (int j = 0; j < 16; j++) {
        unsigned d = (byte_count >> (4 * j)) & 15;
        if (d) factors[count++] = c->shift[j][d];
    }
    if (count == 0 || value == 0) return value;
    return ccrc64_multiply_x_portable(c->polynomial, value, multiply_tree(c, factors, count));
}
