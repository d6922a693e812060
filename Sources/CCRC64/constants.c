// Tables and folding constants for one reflected CRC-64 polynomial.
#include "ccrc64.h"

#include <string.h>

#define X0 (UINT64_C(1) << 63) // the polynomial 1 in the reflected representation

static inline uint64_t multiply_by_x(uint64_t polynomial, uint64_t v) {
    return (v >> 1) ^ ((v & 1) ? polynomial : 0);
}

// a * b mod P, by Horner's rule over the coefficients of a, highest degree first.
static uint64_t multiply_mod(uint64_t polynomial, uint64_t a, uint64_t b) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) {
        r = multiply_by_x(polynomial, r);
        if ((a >> i) & 1) r ^= b;
    }
    return r;
}

uint64_t ccrc64_multiply_x_portable(uint64_t polynomial, uint64_t a, uint64_t b) {
    return multiply_by_x(polynomial, multiply_mod(polynomial, a, b));
}

static uint64_t reverse64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) r |= ((v >> i) & 1) << (63 - i);
    return r;
}

// floor(x^127 / P) in the reflected representation, by long division in normal form.
static uint64_t barrett_mu(uint64_t polynomial) {
    unsigned __int128 p = ((unsigned __int128)1 << 64) | reverse64(polynomial);
    unsigned __int128 r = (unsigned __int128)1 << 127;
    uint64_t q = 0;
    for (int d = 127; d >= 64; d--) {
        if ((r >> d) & 1) {
            q |= UINT64_C(1) << (d - 64);
            r ^= p << (d - 64);
        }
    }
    return reverse64(q);
}

void ccrc64_constants_init(ccrc64_constants *c, uint64_t polynomial) {
    memset(c, 0, sizeof *c);
    c->polynomial = polynomial;

    for (unsigned b = 0; b < 256; b++) {
        uint64_t r = b;
        for (int i = 0; i < 8; i++) r = (r >> 1) ^ ((r & 1) ? polynomial : 0);
        c->table[0][b] = r;
    }
    for (int k = 1; k < 8; k++) {
        for (unsigned b = 0; b < 256; b++) {
            uint64_t prev = c->table[k - 1][b];
            c->table[k][b] = (prev >> 8) ^ c->table[0][prev & 0xff];
        }
    }

    // One pass over x^0, x^1, ... collects every x^(128k-1) and x^(128k+63).
    uint64_t power = X0;
    for (int n = 0; n <= 128 * CCRC64_FOLD_STEPS + 63; n++) {
        if (n % 128 == 127 && (n + 1) / 128 <= CCRC64_FOLD_STEPS) c->fold[(n + 1) / 128][1] = power;
        if (n % 128 == 63 && n >= 191) c->fold[(n - 63) / 128][0] = power;
        power = multiply_by_x(polynomial, power);
    }

    for (int lane = 0; lane < 3; lane++) {
        c->fold_lanes[2 * lane] = c->fold[3 - lane][0];
        c->fold_lanes[2 * lane + 1] = c->fold[3 - lane][1];
    }

    c->barrett_mu = barrett_mu(polynomial);
    c->barrett_poly = polynomial << 1;

    // x^-1 = x^63 + (P - x^64 - 1) / x, since x * that = P + 1 = 1 (mod P).
    const uint64_t x_inverse = 1 | (polynomial << 1);
    uint64_t digit_base = X0 >> 8; // x^8: one zero byte
    for (int j = 0; j < 16; j++) {
        uint64_t f = digit_base;
        c->shift[j][0] = 0;
        for (int d = 1; d < 16; d++) {
            c->shift[j][d] = multiply_mod(polynomial, f, x_inverse);
            f = multiply_mod(polynomial, f, digit_base);
        }
        // The next digit's base is this one to the 16th power.
        for (int s = 0; s < 4; s++) digit_base = multiply_mod(polynomial, digit_base, digit_base);
    }
}
