// Checks every CCRC64 kernel this CPU can run against a bit-at-a-time reference that shares no
// code with the library. scripts/test-arm64.sh builds it for arm64 and runs it under qemu; it
// also builds natively, which keeps the test itself honest on any machine.
//
// usage: kernel_test [--require KERNEL]... VECTORS_FILE
//   --require fails the run when KERNEL is not among the supported kernels, so a broken CPU
//   detection cannot shrink the test to the portable kernel unnoticed.
#define _DEFAULT_SOURCE // mmap flags and sysconf under -std=c11
#include "ccrc64.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__aarch64__)
#define ARCH_LABEL "arm64"
#elif defined(__x86_64__)
#define ARCH_LABEL "x86_64"
#else
#define ARCH_LABEL "portable"
#endif

static const char *const kernel_names[CCRC64_KERNEL_COUNT] = {
    "portable", "pclmul", "vpclmul-avx2", "vpclmul-avx512", "pmull", "pmull-eor3",
};

typedef struct {
    const char *name;
    uint64_t reflected; // what ccrc64_constants_init takes
    uint64_t check;     // CRC of "123456789"
} crc_model;

static const crc_model models[] = {
    {"CRC-64/XZ", UINT64_C(0xC96C5795D7870F42), UINT64_C(0x995DC9BBDF1939FA)},
    {"CRC-64/NVME", UINT64_C(0x9A6C9329AC4BC9B5), UINT64_C(0xAE8B14860A799888)},
};

static uint64_t checks;

static void expect(uint64_t got, uint64_t want, const char *fmt, ...) {
    checks++;
    if (got == want) return;
    fprintf(stderr, "FAIL: ");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": got %016" PRIX64 ", want %016" PRIX64 "\n", got, want);
    exit(1);
}

// ---- reference: the definition of a reflected CRC, one bit at a time ----

static uint64_t ref_update(uint64_t poly, uint64_t reg, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        reg ^= p[i];
        for (int b = 0; b < 8; b++) reg = (reg >> 1) ^ ((reg & 1) ? poly : 0);
    }
    return reg;
}

static uint64_t ref_crc(uint64_t poly, const uint8_t *p, size_t n) { return ~ref_update(poly, ~UINT64_C(0), p, n); }

/// The register after `n` zero bytes without init or final XOR: what ccrc64_shift computes.
static uint64_t ref_shift(uint64_t poly, uint64_t reg, uint64_t n) {
    for (uint64_t i = 0; i < 8 * n; i++) reg = (reg >> 1) ^ ((reg & 1) ? poly : 0);
    return reg;
}

// ---- deterministic data ----

static uint64_t rng_state = UINT64_C(0x243F6A8885A308D3);

static uint64_t rng(void) { // splitmix64
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void fill_random(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(rng() >> 56);
}

/// data(n, seed) of the vectors file: xorshift64*, top byte of each output.
static void vector_data(uint8_t *p, size_t n, uint64_t x) {
    for (size_t i = 0; i < n; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        p[i] = (uint8_t)((x * UINT64_C(0x2545F4914F6CDD1D)) >> 56);
    }
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

// ---- the kernels under test ----

typedef struct {
    ccrc64_kernel_id id;
    ccrc64_kernel_fn fn;
} kernel;

static kernel kernels[CCRC64_KERNEL_COUNT];
static int kernel_count;

static uint64_t kernel_crc(const kernel *k, const ccrc64_constants *c, const void *p, size_t n) {
    return k->fn(c, ~UINT64_C(0), p, n) ^ ~UINT64_C(0);
}

enum { SWEEP_MAX = 1024, ALIGNMENTS = 64, BIG = 1 << 20 };

static void test_check_value(const crc_model *m, const ccrc64_constants *c) {
    const uint8_t *s = (const uint8_t *)"123456789";
    expect(ref_crc(m->reflected, s, 9), m->check, "%s reference check value", m->name);
    for (int i = 0; i < kernel_count; i++)
        expect(kernel_crc(&kernels[i], c, s, 9), m->check, "%s %s check value", m->name,
               kernel_names[kernels[i].id]);
}

/// Every length 0...SWEEP_MAX at every alignment 0...63: each path of a kernel (short input,
/// 16-byte loop, 128-byte rounds, tail) meets every misalignment.
static void test_sweep(const crc_model *m, const ccrc64_constants *c) {
    enum { STRIDE = SWEEP_MAX + 2 * ALIGNMENTS }; // a multiple of 64, so copy a starts at offset a
    uint8_t src[SWEEP_MAX];
    fill_random(src, sizeof src);
    uint8_t *copies = aligned_alloc(64, (size_t)STRIDE * ALIGNMENTS);
    if (!copies) exit(2);
    for (int a = 0; a < ALIGNMENTS; a++) memcpy(copies + (size_t)a * STRIDE + a, src, sizeof src);

    uint64_t prefix = ~UINT64_C(0); // reference register of src[0..<n]
    for (size_t n = 0; n <= SWEEP_MAX; n++) {
        if (n) prefix = ref_update(m->reflected, prefix, src + n - 1, 1);
        for (int a = 0; a < ALIGNMENTS; a++)
            for (int i = 0; i < kernel_count; i++)
                expect(kernel_crc(&kernels[i], c, copies + (size_t)a * STRIDE + a, n), ~prefix,
                       "%s %s length %zu alignment %d", m->name, kernel_names[kernels[i].id], n, a);
    }
    free(copies);
}

/// Inputs that start right after, or end right before, an inaccessible page: any read outside
/// the buffer faults. Also uses a random initial register, as a kernel must accept any.
static void test_guard_pages(const crc_model *m, const ccrc64_constants *c) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    const size_t span = page * ((SWEEP_MAX + page - 1) / page);
    uint8_t *map = mmap(NULL, span + 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) exit(2);
    uint8_t *body = map + page;
    if (mprotect(map, page, PROT_NONE) || mprotect(body + span, page, PROT_NONE)) exit(2);
    fill_random(body, span);
    for (size_t n = 0; n <= SWEEP_MAX; n++) {
        const uint64_t init = rng();
        const uint8_t *starts[2] = {body, body + span - n};
        for (int s = 0; s < 2; s++) {
            const uint64_t want = ref_update(m->reflected, init, starts[s], n);
            for (int i = 0; i < kernel_count; i++)
                expect(kernels[i].fn(c, init, starts[s], n), want, "%s %s length %zu %s a guard page", m->name,
                       kernel_names[kernels[i].id], n, s ? "ending at" : "starting after");
        }
    }
    munmap(map, span + 2 * page);
}

static int compare_size(const void *a, const void *b) {
    const size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/// Random lengths up to 1 MiB at random alignments; one reference pass over the buffer
/// yields every prefix's CRC.
static void test_random_lengths(const crc_model *m, const ccrc64_constants *c) {
    enum { CASES = 16 };
    uint8_t *src = xmalloc(BIG), *copy = aligned_alloc(64, BIG + ALIGNMENTS);
    if (!copy) exit(2);
    fill_random(src, BIG);
    size_t lengths[CASES];
    for (int j = 0; j < CASES; j++) lengths[j] = (size_t)(rng() % (BIG + 1));
    lengths[0] = BIG;
    qsort(lengths, CASES, sizeof lengths[0], compare_size);

    uint64_t prefix = ~UINT64_C(0);
    size_t done = 0;
    for (int j = 0; j < CASES; j++) {
        const size_t n = lengths[j];
        prefix = ref_update(m->reflected, prefix, src + done, n - done);
        done = n;
        const int a = (int)(rng() % ALIGNMENTS);
        memcpy(copy + a, src, n);
        for (int i = 0; i < kernel_count; i++)
            expect(kernel_crc(&kernels[i], c, copy + a, n), ~prefix, "%s %s random length %zu alignment %d",
                   m->name, kernel_names[kernels[i].id], n, a);
    }
    free(copy);
    free(src);
}

/// ccrc64_shift with and without the carry-less multiply, against the bit-serial definition
/// where that is affordable, against each other and the identity shift(shift(v, a), b) =
/// shift(v, a + b) for huge counts, and through the combine rule crc(A||B) = shift(crcA, |B|) ^ crcB.
static void test_shift(const crc_model *m, const ccrc64_constants *c, int clmul) {
    const int modes = clmul ? 2 : 1;
    for (uint64_t n = 0; n < 400; n++) {
        const uint64_t v = rng();
        const uint64_t want = ref_shift(m->reflected, v, n);
        for (int mode = 0; mode < modes; mode++)
            expect(ccrc64_shift(c, v, n, mode), want, "%s shift(use_clmul=%d) by %" PRIu64 " bytes", m->name, mode, n);
    }
    for (int j = 0; j < 24; j++) {
        const uint64_t v = rng(), n = rng() % 50000;
        const uint64_t want = ref_shift(m->reflected, v, n);
        for (int mode = 0; mode < modes; mode++)
            expect(ccrc64_shift(c, v, n, mode), want, "%s shift(use_clmul=%d) by %" PRIu64 " bytes", m->name, mode, n);
    }
    for (int j = 0; j < 200; j++) {
        const uint64_t v = rng();
        uint64_t a = rng(), b = rng();
        if (j % 4 == 0) a = ~UINT64_C(0) - b % 4096, b %= 4096; // near the largest count
        if (a + b < a) b = ~UINT64_C(0) - a;
        const uint64_t whole = ccrc64_shift(c, v, a + b, 0);
        for (int mode = 0; mode < modes; mode++) {
            expect(ccrc64_shift(c, v, a + b, mode), whole, "%s shift(use_clmul=%d) vs portable by %" PRIu64, m->name,
                   mode, a + b);
            expect(ccrc64_shift(c, ccrc64_shift(c, v, a, mode), b, mode), whole,
                   "%s shift(use_clmul=%d) by %" PRIu64 " then %" PRIu64, m->name, mode, a, b);
        }
    }
    enum { COMBINE_MAX = 8192 };
    uint8_t *buf = xmalloc(COMBINE_MAX);
    for (int j = 0; j < 40; j++) {
        const size_t n = (size_t)(rng() % (COMBINE_MAX + 1)), k = n ? (size_t)(rng() % (n + 1)) : 0;
        fill_random(buf, n);
        const uint64_t want = ref_crc(m->reflected, buf, n);
        for (int i = 0; i < kernel_count; i++) {
            const uint64_t crc_a = kernel_crc(&kernels[i], c, buf, k);
            const uint64_t crc_b = kernel_crc(&kernels[i], c, buf + k, n - k);
            for (int mode = 0; mode < modes; mode++)
                expect(ccrc64_shift(c, crc_a, n - k, mode) ^ crc_b, want,
                       "%s %s combine(use_clmul=%d) %zu + %zu bytes",
                       m->name, kernel_names[kernels[i].id], mode, k, n - k);
        }
    }
    free(buf);
}

/// The vectors file was made by an independent implementation; it checks the reference too.
static void test_vectors(const char *path, const ccrc64_constants *cs) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char line[256];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        uint64_t n, seed, want[2];
        if (sscanf(line, "%" SCNu64 " %" SCNx64 " %" SCNx64 " %" SCNx64, &n, &seed, &want[0], &want[1]) != 4) {
            fprintf(stderr, "FAIL: %s: unreadable line: %s", path, line);
            exit(1);
        }
        uint8_t *data = xmalloc((size_t)n);
        vector_data(data, (size_t)n, seed);
        for (int p = 0; p < 2; p++) {
            expect(ref_crc(models[p].reflected, data, (size_t)n), want[p],
                   "%s reference, vector n=%" PRIu64 " seed=%" PRIX64, models[p].name, n, seed);
            for (int i = 0; i < kernel_count; i++)
                expect(kernel_crc(&kernels[i], &cs[p], data, (size_t)n), want[p],
                       "%s %s vector n=%" PRIu64 " seed=%" PRIX64, models[p].name,
                       kernel_names[kernels[i].id], n, seed);
        }
        free(data);
        rows++;
    }
    fclose(f);
    if (rows == 0) {
        fprintf(stderr, "FAIL: %s has no vectors\n", path);
        exit(1);
    }
}

static int kernel_id_named(const char *name) {
    for (int id = 0; id < CCRC64_KERNEL_COUNT; id++)
        if (strcmp(kernel_names[id], name) == 0) return id;
    return -1;
}

int main(int argc, char **argv) {
    const uint32_t supported = ccrc64_supported_kernels();
    const char *vectors = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--require") == 0 && i + 1 < argc) {
            const int id = kernel_id_named(argv[++i]);
            if (id < 0) {
                fprintf(stderr, "unknown kernel %s\n", argv[i]);
                return 2;
            }
            if (!(supported & (1u << id))) {
                fprintf(stderr, "FAIL: kernel %s is required but this CPU reports only mask 0x%" PRIx32 "\n",
                        argv[i], supported);
                return 1;
            }
        } else if (!vectors) {
            vectors = argv[i];
        } else {
            fprintf(stderr, "usage: %s [--require KERNEL]... VECTORS_FILE\n", argv[0]);
            return 2;
        }
    }
    if (!vectors) {
        fprintf(stderr, "usage: %s [--require KERNEL]... VECTORS_FILE\n", argv[0]);
        return 2;
    }

    // Vector kernels first, so the summary names what is new before the baseline.
    for (int j = 1; j <= CCRC64_KERNEL_COUNT; j++) {
        const int id = j % CCRC64_KERNEL_COUNT;
        if (!(supported & (1u << id))) continue;
        ccrc64_kernel_fn fn = ccrc64_kernel((ccrc64_kernel_id)id);
        if (!fn) {
            fprintf(stderr, "FAIL: kernel %s is reported supported but has no function\n", kernel_names[id]);
            return 1;
        }
        kernels[kernel_count++] = (kernel){(ccrc64_kernel_id)id, fn};
    }
    // ccrc64_shift's clmul path needs a carry-less multiply on this CPU.
    const int clmul = (supported & ((1u << CCRC64_KERNEL_PCLMUL) | (1u << CCRC64_KERNEL_PMULL))) != 0;

    static ccrc64_constants constants[2];
    for (int p = 0; p < 2; p++) {
        ccrc64_constants_init(&constants[p], models[p].reflected);
        test_check_value(&models[p], &constants[p]);
        test_sweep(&models[p], &constants[p]);
        test_guard_pages(&models[p], &constants[p]);
        test_random_lengths(&models[p], &constants[p]);
        test_shift(&models[p], &constants[p], clmul);
    }
    test_vectors(vectors, constants);

    // The built-in constants (generated at build time) and the dispatched entry point (an
    // indirect function resolved when the program is loaded, on glibc).
    const ccrc64_constants *builtin[2] = {&ccrc64_constants_xz, &ccrc64_constants_nvme};
    for (int p = 0; p < 2; p++) {
        if (memcmp(builtin[p], &constants[p], sizeof constants[p]) != 0) {
            fprintf(stderr, "FAIL: builtin_constants.c differs from ccrc64_constants_init for %s\n", models[p].name);
            return 1;
        }
        static const uint8_t check[] = "123456789";
        expect(~ccrc64_checksum(builtin[p], ~UINT64_C(0), check, 9), models[p].check,
               "%s: ccrc64_checksum of the check string", models[p].name);
    }
    // Within one architecture, kernel ids grow with the width of the multiply.
    int widest = CCRC64_KERNEL_PORTABLE;
    for (int i = 0; i < kernel_count; i++)
        if ((int)kernels[i].id > widest) widest = kernels[i].id;
    const ccrc64_kernel_id best = ccrc64_best_kernel();
    if ((int)best != widest) {
        fprintf(stderr, "FAIL: ccrc64_best_kernel chose %s, not the widest supported kernel\n", kernel_names[best]);
        return 1;
    }

    printf(ARCH_LABEL " kernels: OK (");
    for (int i = 0; i < kernel_count; i++) printf("%s%s", i ? ", " : "", kernel_names[kernels[i].id]);
    printf("; shift %s; %" PRIu64 " checks)\n", clmul ? "clmul + portable" : "portable", checks);
    return 0;
}
