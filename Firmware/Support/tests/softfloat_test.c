// Host test for Firmware/Support/softfloat.c: every function against the
// host's IEEE hardware (x86-64 SSE) and glibc (fmaf, sqrtf, floorf, ...),
// bit for bit, on edge cases and tens of millions of random operands drawn
// where rounding is hardest (cancellation, subnormal and overflow borders,
// ties). NaN results must be NaN; their payload may differ (it does between
// CPUs). Run by Scripts/test-support; takes a few seconds.
//
//   gcc -O2 -ffp-contract=off softfloat_test.c -lm && ./a.out [seed]
#define SOFTFLOAT_NO_EXPORTS
#include "../softfloat.c"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Through volatile pointers so that gcc neither folds nor contracts them.
static float (*volatile ref_fma)(float, float, float) = fmaf;
static float (*volatile ref_sqrt)(float) = sqrtf;
static float (*volatile ref_floor)(float) = floorf;
static float (*volatile ref_ceil)(float) = ceilf;
static float (*volatile ref_trunc)(float) = truncf;
static float (*volatile ref_round)(float) = roundf;
static float (*volatile ref_rint)(float) = rintf;
static float (*volatile ref_fmin)(float, float) = fminf;
static float (*volatile ref_fmax)(float, float) = fmaxf;

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float bfloat(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

// MARK: - Random operands

static uint64_t rng_state;
static uint64_t next64(void) {   // splitmix64
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint32_t next32(void) { return (uint32_t)(next64() >> 32); }
static int32_t below(int32_t n) { return (int32_t)(next32() % (uint32_t)n); }

/// A finite float with biased exponent in [lo, hi], random sign and fraction;
/// a third of them with a fraction of few set bits (exact products, ties).
static uint32_t with_exponent(int lo, int hi) {
    uint32_t e = (uint32_t)(lo + below(hi - lo + 1));
    uint32_t f = next32() & FRAC_MASK;
    switch (below(3)) {
    case 0: f &= ~(FRAC_MASK >> below(24)); break;   // low bits clear
    case 1: f &= next32() & next32(); break;          // sparse
    default: break;
    }
    return (next32() & SIGN_BIT) | (e << 23) | f;
}

static const uint32_t specials[] = {
    0x00000000, 0x00000001, 0x00000002, 0x007FFFFF, 0x00400000, 0x00800000, 0x00800001,
    0x00FFFFFF, 0x01000000, 0x0C000000, 0x1F800000, 0x20000000, 0x2F800000, 0x33800000,
    0x33800001, 0x337FFFFF, 0x34000000, 0x3EFFFFFF, 0x3F000000, 0x3F000001, 0x3F7FFFFF,
    0x3F800000, 0x3F800001, 0x3FC00000, 0x3FFFFFFF, 0x40000000, 0x40400000, 0x40490FDB,
    0x4B000000, 0x4B000001, 0x4AFFFFFF, 0x4B7FFFFF, 0x4EFFFFFF, 0x4F000000, 0x4F800000,
    0x5EFFFFFF, 0x5F000000, 0x5F800000, 0x60000000, 0x7E800000, 0x7F000000, 0x7F7FFFFE,
    0x7F7FFFFF, 0x7F800000, 0x7FC00000, 0x7F800001, 0x7FFFFFFF, 0x3FB504F3, 0x1A000000,
    0x5A000000, 0x0B000000, 0x33FFFFFF,
};
#define NSPECIAL (int)(sizeof specials / sizeof specials[0])
static uint32_t special(int i) {   // both signs
    return specials[i >> 1] | ((uint32_t)(i & 1) << 31);
}

// MARK: - Checking

static long failures;
static long cases;

static int same(uint32_t got, uint32_t want) {
    if (is_nan(want)) return is_nan(got);
    return got == want;
}

static void check3(const char *name, uint32_t got, uint32_t want, uint32_t a, uint32_t b,
                   uint32_t c) {
    cases++;
    if (same(got, want)) return;
    if (++failures <= 20)
        printf("MISMATCH %s(0x%08x, 0x%08x, 0x%08x): got 0x%08x, want 0x%08x\n", name, a, b, c,
               got, want);
}

// MARK: - Fused multiply-add

static void fma_case(uint32_t a, uint32_t b, uint32_t c) {
    uint32_t want = fbits(ref_fma(bfloat(a), bfloat(b), bfloat(c)));
    check3("fmaf", sf_fma(a, b, c), want, a, b, c);
}

static void test_fma(long n) {
    for (int i = 0; i < 2 * NSPECIAL; i++)
        for (int j = 0; j < 2 * NSPECIAL; j++)
            for (int k = 0; k < 2 * NSPECIAL; k++) fma_case(special(i), special(j), special(k));
    for (long i = 0; i < n; i++) {
        uint32_t a, b, c;
        switch (i % 6) {
        case 0:   // any bits
            a = next32(); b = next32(); c = next32();
            break;
        case 1: {  // c near -a*b: cancellation of many bits
            a = with_exponent(60, 190); b = with_exponent(60, 190);
            float p = bfloat(a) * bfloat(b);
            c = (fbits(p) ^ SIGN_BIT) + (uint32_t)(below(9) - 4);
            if (below(4) == 0) c = fbits(-p * bfloat(with_exponent(126, 127) & ~SIGN_BIT));
            break;
        }
        case 2:   // product and c exponents within +-60 of each other
            a = with_exponent(1, 254); b = with_exponent(1, 254);
            {
                int pe = (int)((a >> 23) & 0xFF) + (int)((b >> 23) & 0xFF) - 127;
                int ce = pe + below(121) - 60;
                if (ce < 0) ce = 0;
                if (ce > 254) ce = 254;
                c = with_exponent(ce, ce);
            }
            break;
        case 3:   // results around the subnormal range
            a = with_exponent(0, 100); b = with_exponent(154 - ((a >> 23) & 0xFF) - 30,
                                                          154 - ((a >> 23) & 0xFF) + 4);
            c = below(3) == 0 ? (next32() & 0x80FFFFFF) : with_exponent(0, 30);
            if (below(4) == 0) c = fbits(-(bfloat(a) * bfloat(b))) + (uint32_t)(below(5) - 2);
            break;
        case 4:   // results around overflow
            a = with_exponent(190, 254); b = with_exponent(254 - ((a >> 23) & 0xFF) + 125,
                                                            254 - ((a >> 23) & 0xFF) + 129);
            c = with_exponent(240, 254);
            break;
        default:  // a zero, an infinity or a subnormal somewhere
            a = below(4) ? with_exponent(0, 254) : special(below(2 * NSPECIAL));
            b = below(4) ? with_exponent(0, 254) : special(below(2 * NSPECIAL));
            c = below(4) ? with_exponent(0, 254) : special(below(2 * NSPECIAL));
            break;
        }
        if (((a >> 23) & 0xFF) == 0xFF && below(2)) a &= ~EXP_MASK;  // few NaN/inf
        fma_case(a, b, c);
    }
}

// MARK: - Square root

static void sqrt_case(uint32_t a) {
    uint32_t want = fbits(ref_sqrt(bfloat(a)));
    check3("sqrtf", sf_sqrt(a), want, a, 0, 0);
}

static void test_sqrt(long n) {
    // Rounding depends only on the fraction and the exponent's parity, so
    // [1, 4) and all subnormals exhaustively cover every case.
    for (uint32_t a = 0x3F800000; a < 0x40800000; a++) sqrt_case(a);
    for (uint32_t a = 0; a <= 0x00800000; a++) sqrt_case(a);
    for (int i = 0; i < 2 * NSPECIAL; i++) sqrt_case(special(i));
    for (long i = 0; i < n; i++) sqrt_case(next32());
}

// MARK: - Add, subtract, multiply, divide

typedef uint32_t (*binary_fn)(uint32_t, uint32_t);
static float ref_add(float a, float b) { return a + b; }
static float ref_sub(float a, float b) { return a - b; }
static float ref_mul(float a, float b) { return a * b; }
static float ref_div(float a, float b) { return a / b; }

static void test_binary(const char *name, binary_fn f, float (*ref)(float, float), long n) {
    for (int i = 0; i < 2 * NSPECIAL; i++)
        for (int j = 0; j < 2 * NSPECIAL; j++) {
            uint32_t a = special(i), b = special(j);
            check3(name, f(a, b), fbits(ref(bfloat(a), bfloat(b))), a, b, 0);
        }
    for (long i = 0; i < n; i++) {
        uint32_t a, b;
        switch (i % 4) {
        case 0: a = next32(); b = next32(); break;
        case 1: a = with_exponent(0, 254); b = with_exponent((a >> 23) & 0xFF, ((a >> 23) & 0xFF) + 1 > 254 ? 254 : ((a >> 23) & 0xFF) + 1); break;
        case 2: a = with_exponent(0, 40); b = with_exponent(0, 40); break;
        default: {
            int ea = below(255), d = below(61) - 30;
            a = with_exponent(ea, ea);
            int eb = name[0] == 'd' ? ea - d : (name[0] == 'm' ? 254 - ea + d : ea + d);
            eb = eb < 0 ? 0 : eb > 254 ? 254 : eb;
            b = with_exponent(eb, eb);
        }
        }
        check3(name, f(a, b), fbits(ref(bfloat(a), bfloat(b))), a, b, 0);
    }
}

// MARK: - Rounding, min/max, compare, conversions

static void test_rounding(long n) {
    static const struct { const char *name; enum rounding mode; float (*volatile *ref)(float); } fns[] = {
        {"floorf", DOWN, &ref_floor}, {"ceilf", UP, &ref_ceil}, {"truncf", TO_ZERO, &ref_trunc},
        {"roundf", HALF_AWAY, &ref_round}, {"rintf", HALF_EVEN, &ref_rint},
    };
    for (int k = 0; k < 5; k++) {
        for (long i = 0; i < n + 2 * NSPECIAL; i++) {
            uint32_t a;
            if (i < 2 * NSPECIAL) a = special((int)i);
            else if (i % 3 == 0) a = next32();
            else if (i % 3 == 1) a = with_exponent(100, 160);
            else a = fbits((float)(below(1 << 24) - (1 << 23)) * 0.5f);   // halves: ties
            check3(fns[k].name, sf_round(a, fns[k].mode), fbits((*fns[k].ref)(bfloat(a))), a, 0, 0);
        }
    }
}

static void test_minmax_compare(long n) {
    for (long i = 0; i < n; i++) {
        uint32_t a = i < 4 * NSPECIAL * NSPECIAL ? special((int)(i % (2 * NSPECIAL))) : next32();
        uint32_t b = i < 4 * NSPECIAL * NSPECIAL ? special((int)(i / (2 * NSPECIAL))) : next32();
        if (i % 5 == 0) b = a;
        float fa = bfloat(a), fb = bfloat(b);
        int want = isnan(fa) || isnan(fb) ? 2 : fa < fb ? -1 : fa > fb;
        cases++;
        if (sf_compare(a, b) != want && ++failures <= 20)
            printf("MISMATCH compare(0x%08x, 0x%08x): got %d, want %d\n", a, b, sf_compare(a, b), want);
        // fminf/fmaxf may return either zero for (+0, -0); we return -0 / +0.
        if (!(is_zero(a) && is_zero(b))) {
            check3("fminf", sf_min(a, b), fbits(ref_fmin(fa, fb)), a, b, 0);
            check3("fmaxf", sf_max(a, b), fbits(ref_fmax(fa, fb)), a, b, 0);
        }
    }
}

static void test_conversions(long n) {
    for (long i = 0; i < n; i++) {
        int32_t v = (int32_t)next32() >> below(32);
        if (i < 64) v = (int32_t)(i < 32 ? (1u << i) : ~0u << (i - 32));
        check3("i2f", sf_from_i64(v), fbits((float)v), (uint32_t)v, 0, 0);
        check3("ui2f", sf_from_u64(0, (uint32_t)v), fbits((float)(uint32_t)v), (uint32_t)v, 0, 0);
        int64_t w = (int64_t)next64() >> below(64);
        check3("l2f", sf_from_i64(w), fbits((float)w), (uint32_t)(w >> 32), (uint32_t)w, 0);
        uint64_t uw = next64() >> below(64);
        check3("ul2f", sf_from_u64(0, uw), fbits((float)uw), (uint32_t)(uw >> 32), (uint32_t)uw, 0);
        // float -> int in range (C leaves out-of-range undefined).
        uint32_t a = with_exponent(0, 157);
        float fa = bfloat(a);
        if (fa > -2147483648.0f && fa < 2147483648.0f)
            check3("f2iz", (uint32_t)(int32_t)sf_to_i64(a, INT32_MIN, INT32_MAX),
                   (uint32_t)(int32_t)fa, a, 0, 0);
        if (fa >= 0 && fa < 4294967296.0f)
            check3("f2uiz", (uint32_t)sf_to_u64(a, UINT32_MAX), (uint32_t)fa, a, 0, 0);
        a = with_exponent(0, 189);
        fa = bfloat(a);
        if (fa > -9223372036854775808.0f && fa < 9223372036854775808.0f) {
            int64_t got = sf_to_i64(a, INT64_MIN, INT64_MAX), want = (int64_t)fa;
            check3("f2lz", (uint32_t)(got >> 32) ^ (uint32_t)got ^ (uint32_t)(got != want), (uint32_t)(want >> 32) ^ (uint32_t)want, a, 0, 0);
        }
    }
    // Saturation, as Arm's vcvt and Swift's range checks expect.
    check3("f2iz-sat", (uint32_t)(int32_t)sf_to_i64(0x4F000000, INT32_MIN, INT32_MAX), 0x7FFFFFFF, 0x4F000000, 0, 0);
    check3("f2iz-sat", (uint32_t)(int32_t)sf_to_i64(0xCF000001, INT32_MIN, INT32_MAX), 0x80000000, 0xCF000001, 0, 0);
    check3("f2iz-min", (uint32_t)(int32_t)sf_to_i64(0xCF000000, INT32_MIN, INT32_MAX), 0x80000000, 0xCF000000, 0, 0);
    check3("f2iz-nan", (uint32_t)(int32_t)sf_to_i64(0x7FC00000, INT32_MIN, INT32_MAX), 0, 0x7FC00000, 0, 0);
}

int main(int argc, char **argv) {
    rng_state = argc > 1 ? strtoull(argv[1], 0, 0) : 0x5EED;
    long scale = argc > 2 ? strtol(argv[2], 0, 0) : 1;
    struct { const char *name; void (*run)(long); long n; } suites[] = {
        {"fmaf", test_fma, 12000000}, {"sqrtf", test_sqrt, 4000000},
        {"rounding", test_rounding, 1000000}, {"min/max/compare", test_minmax_compare, 1000000},
        {"conversions", test_conversions, 1000000},
    };
    int bad = 0;
    for (unsigned s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        long before = failures;
        cases = 0;
        suites[s].run(suites[s].n * scale);
        printf("%-16s %10ld cases  %s\n", suites[s].name, cases,
               failures == before ? "ok" : "FAILED");
        bad |= failures != before;
    }
    struct { const char *name; binary_fn f; float (*ref)(float, float); } binaries[] = {
        {"add", sf_add, ref_add}, {"sub", sf_sub, ref_sub}, {"mul", sf_mul, ref_mul}, {"div", sf_div, ref_div},
    };
    for (unsigned s = 0; s < 4; s++) {
        long before = failures;
        cases = 0;
        test_binary(binaries[s].name, binaries[s].f, binaries[s].ref, 3000000 * scale);
        printf("%-16s %10ld cases  %s\n", binaries[s].name, cases, failures == before ? "ok" : "FAILED");
        bad |= failures != before;
    }
    printf(bad ? "softfloat: FAILED (%ld mismatches)\n" : "softfloat: PASS\n", failures);
    return bad;
}
