// Appending n zero bytes to a CRC register, shared by every multiply instruction set.
#ifndef CCRC64_SHIFT_H
#define CCRC64_SHIFT_H

#include "ccrc64.h"

/// a * b * x mod P.
typedef uint64_t (*ccrc64_multiply_fn)(const ccrc64_constants *c, uint64_t a, uint64_t b);

/// `value * x^(8 * byte_count) mod P` from the table of x^(8 d 16^j - 1): one factor per non-zero
/// hexadecimal digit of `byte_count`, multiplied pairwise so the products overlap in the
/// pipeline (a product of x^(a-1) and x^(b-1), times x, is x^(a+b-1)). Inlined into each caller
/// with a constant `multiply`, so the calls are direct.
static inline __attribute__((always_inline)) uint64_t
ccrc64_shift_with(const ccrc64_constants *c, uint64_t value, uint64_t byte_count, ccrc64_multiply_fn multiply) {
    uint64_t factors[16];
    int count = 0;
    for (int j = 0; j < 16; j++) {
        unsigned d = (byte_count >> (4 * j)) & 15;
        if (d) factors[count++] = c->shift[j][d];
    }
    if (count == 0) return value;
    while (count > 1) {
        int half = 0;
        for (int i = 0; i + 1 < count; i += 2) factors[half++] = multiply(c, factors[i], factors[i + 1]);
        if (count & 1) factors[half++] = factors[count - 1];
        count = half;
    }
    return multiply(c, value, factors[0]);
}

#endif
