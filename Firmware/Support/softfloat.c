// IEEE 754 binary32 arithmetic in integer code, correctly rounded to
// nearest-even with subnormals: the float helpers LLVM calls on a CPU
// without an FPU, plus the libm functions Swift lowers to calls on every
// target (fmaf, sqrtf, floorf, ...). There is no libm on the boards.
//
// The core does every multiply-add as a fused `addingProduct`, which on a
// soft-float CPU is a call to fmaf: fmaf here must give the bits a hardware
// FMA gives. Firmware/Support/tests/softfloat_test.c checks every function
// against the host's hardware and glibc (Scripts/test-support).
//
// NaN results are quiet NaNs (an input NaN quieted, else 0x7fc00000); their
// payloads differ between CPUs anyway, so only "is NaN" is portable.
//
// Define SOFTFLOAT_NO_EXPORTS to get only the static sf_* functions (the
// host test does, since glibc owns the exported names there).
#include <stdbool.h>
#include <stdint.h>

#define SIGN_BIT 0x80000000u
#define EXP_MASK 0x7F800000u
#define FRAC_MASK 0x007FFFFFu
#define QUIET_BIT 0x00400000u
#define DEFAULT_NAN 0x7FC00000u
#define INF_BITS 0x7F800000u
#define ONE_BITS 0x3F800000u

// Internal functions; a hard-float board's build uses only some of them.
#define SF static __attribute__((unused))

// Written without __builtin_clz: on ARMv6-M that builtin is a call to
// __clzsi2, and the host test must not depend on the board's helpers.
SF int clz32(uint32_t x) {
    int n = 0;
    if (!(x & 0xFFFF0000u)) { n += 16; x <<= 16; }
    if (!(x & 0xFF000000u)) { n += 8; x <<= 8; }
    if (!(x & 0xF0000000u)) { n += 4; x <<= 4; }
    if (!(x & 0xC0000000u)) { n += 2; x <<= 2; }
    if (!(x & 0x80000000u)) { n += 1; }
    return n;   // x != 0 at every call site
}

SF int clz64(uint64_t x) {
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? clz32(hi) : 32 + clz32((uint32_t)x);
}

SF bool is_nan(uint32_t x) { return (x & ~SIGN_BIT) > INF_BITS; }
SF bool is_inf(uint32_t x) { return (x & ~SIGN_BIT) == INF_BITS; }
SF bool is_zero(uint32_t x) { return (x & ~SIGN_BIT) == 0; }

/// A finite nonzero float as sig * 2^exp, with sig's leading bit at `top`.
typedef struct { uint32_t sig; int32_t exp; } unpacked;

SF unpacked unpack(uint32_t x, int top) {
    uint32_t e = (x >> 23) & 0xFF;
    uint32_t f = x & FRAC_MASK;
    unpacked u;
    if (e == 0) { u.sig = f; u.exp = -149; }                  // subnormal
    else { u.sig = f | 0x00800000u; u.exp = (int32_t)e - 150; }
    int shift = clz32(u.sig) - (31 - top);
    u.sig <<= shift;
    u.exp -= shift;
    return u;
}

/// Rounds sign * sig * 2^exp (sig != 0) to nearest-even binary32, handling
/// overflow to infinity and gradual underflow. Bit 0 of sig may be a sticky
/// bit standing for discarded nonzero bits; callers keep it at least two
/// bits below the rounding position, so it can break no tie.
SF uint32_t round_pack(uint32_t sign, int32_t exp, uint32_t sig) {
    int32_t msb_exp = exp + 31 - clz32(sig);       // exponent of the leading bit
    if (msb_exp > 127) return sign | INF_BITS;
    int32_t ulp_exp = msb_exp - 23;                // exponent of the result's last bit
    if (ulp_exp < -149) ulp_exp = -149;            // subnormal: fixed last bit
    int32_t drop = ulp_exp - exp;
    uint32_t m;
    if (drop <= 0) {
        m = sig << -drop;                          // exact
    } else if (drop >= 32) {
        // Everything is below the last bit; above half of it only when the
        // value is more than 2^(ulp_exp - 1).
        m = (drop == 32 && sig > SIGN_BIT) ? 1 : 0;
    } else {
        uint32_t rest = sig & ((1u << drop) - 1);
        uint32_t half = 1u << (drop - 1);
        m = sig >> drop;
        if (rest > half || (rest == half && (m & 1))) m++;
    }
    // m includes the leading bit, which adds one to the exponent field; a
    // carry out of the fraction (m == 2^24, or a subnormal rounding up to
    // 2^23) moves into the exponent the same way.
    uint32_t bits = ((uint32_t)(ulp_exp + 149) << 23) + m;
    if (bits >= INF_BITS) return sign | INF_BITS;
    return sign | bits;
}

/// Narrows a 64-bit significand to 32 bits with a sticky bit, keeping the
/// leading bit at position 30 or below (7+ bits below a normal's last bit).
SF uint32_t narrow_sticky(uint64_t sig, int32_t *exp) {
    int msb = 63 - clz64(sig);
    if (msb <= 30) return (uint32_t)sig;
    int shift = msb - 30;
    uint64_t lost = sig & (((uint64_t)1 << shift) - 1);
    *exp += shift;
    return (uint32_t)(sig >> shift) | (lost != 0);
}

SF uint32_t quiet(uint32_t x) { return x | QUIET_BIT; }

// MARK: - Fused multiply-add

/// a * b + c with one rounding.
SF uint32_t sf_fma(uint32_t a, uint32_t b, uint32_t c) {
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    uint32_t product_sign = (a ^ b) & SIGN_BIT;
    if (is_inf(a) || is_inf(b)) {
        if (is_zero(a) || is_zero(b)) return DEFAULT_NAN;   // inf * 0
        if (is_nan(c)) return quiet(c);
        if (is_inf(c) && (c & SIGN_BIT) != product_sign) return DEFAULT_NAN;  // inf - inf
        return product_sign | INF_BITS;
    }
    if (is_nan(c)) return quiet(c);
    if (is_inf(c)) return c;
    if (is_zero(a) || is_zero(b)) {
        // Exact zero product: c, except that +0 + -0 is +0.
        if (is_zero(c) && (c & SIGN_BIT) != product_sign) return 0;
        return c;
    }

    // The exact product fits 48 bits; place it and c with their leading bit
    // at 61, leaving room for the carry of a sum. The product's low 14 bits
    // and c's low 38 are zero, so a sticky bit ORed into bit 0 of the
    // smaller operand never meets a set bit of the larger one.
    unpacked ua = unpack(a, 23), ub = unpack(b, 23);
    uint64_t p = (uint64_t)ua.sig * ub.sig;                 // in [2^46, 2^48)
    int32_t pexp = ua.exp + ub.exp;
    if (is_zero(c)) {
        uint32_t s = narrow_sticky(p, &pexp);
        return round_pack(product_sign, pexp, s);
    }
    int pshift = clz64(p) - 2;
    p <<= pshift;
    pexp -= pshift;
    unpacked uc = unpack(c, 29);
    uint64_t q = (uint64_t)uc.sig << 32;                    // leading bit at 61
    int32_t qexp = uc.exp - 32;
    uint32_t qsign = c & SIGN_BIT;

    // big >= small in magnitude.
    uint64_t big = p, small = q;
    int32_t exp = pexp, small_exp = qexp;
    uint32_t sign = product_sign, small_sign = qsign;
    if (qexp > pexp || (qexp == pexp && q > p)) {
        big = q; small = p; exp = qexp; small_exp = pexp;
        sign = qsign; small_sign = product_sign;
    }
    int32_t d = exp - small_exp;
    if (d >= 63) {
        small = 1;                                          // all sticky
    } else if (d > 0) {
        uint64_t lost = small & (((uint64_t)1 << d) - 1);
        small = (small >> d) | (lost != 0);
    }
    // A sticky bit appears only when d > 14, so after a subtraction the
    // leading bit is still at 60 or above and far from bit 0.
    uint64_t r = sign == small_sign ? big + small : big - small;
    if (r == 0) return 0;                                   // exact cancellation: +0
    uint32_t s = narrow_sticky(r, &exp);
    return round_pack(sign, exp, s);
}

// MARK: - Add, subtract, multiply, divide

SF uint32_t sf_add(uint32_t a, uint32_t b) {
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    if (is_inf(a)) {
        if (is_inf(b) && (a ^ b) & SIGN_BIT) return DEFAULT_NAN;
        return a;
    }
    if (is_inf(b)) return b;
    if (is_zero(a)) {
        if (is_zero(b) && (a ^ b) & SIGN_BIT) return 0;     // +0 + -0 = +0
        return b;
    }
    if (is_zero(b)) return a;
    // Leading bits at 29 leave 6 zero bits below each significand, room for
    // a carry above, and a sticky bit only when d > 6.
    unpacked x = unpack(a, 29), y = unpack(b, 29);
    uint32_t sign = a & SIGN_BIT, small_sign = b & SIGN_BIT;
    if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) {
        unpacked t = x; x = y; y = t;
        uint32_t ts = sign; sign = small_sign; small_sign = ts;
    }
    int32_t d = x.exp - y.exp;
    uint32_t small = y.sig;
    if (d >= 31) small = 1;
    else if (d > 0) small = (small >> d) | ((small & ((1u << d) - 1)) != 0);
    uint32_t r = sign == small_sign ? x.sig + small : x.sig - small;
    if (r == 0) return 0;
    return round_pack(sign, x.exp, r);
}

SF uint32_t sf_sub(uint32_t a, uint32_t b) {
    return sf_add(a, is_nan(b) ? b : b ^ SIGN_BIT);
}

SF uint32_t sf_mul(uint32_t a, uint32_t b) {
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    uint32_t sign = (a ^ b) & SIGN_BIT;
    if (is_inf(a) || is_inf(b)) {
        if (is_zero(a) || is_zero(b)) return DEFAULT_NAN;
        return sign | INF_BITS;
    }
    if (is_zero(a) || is_zero(b)) return sign;
    unpacked x = unpack(a, 23), y = unpack(b, 23);
    int32_t exp = x.exp + y.exp;
    uint32_t s = narrow_sticky((uint64_t)x.sig * y.sig, &exp);
    return round_pack(sign, exp, s);
}

SF uint32_t sf_div(uint32_t a, uint32_t b) {
    if (is_nan(a)) return quiet(a);
    if (is_nan(b)) return quiet(b);
    uint32_t sign = (a ^ b) & SIGN_BIT;
    if (is_inf(a)) return is_inf(b) ? DEFAULT_NAN : sign | INF_BITS;
    if (is_inf(b)) return sign;
    if (is_zero(b)) return is_zero(a) ? DEFAULT_NAN : sign | INF_BITS;
    if (is_zero(a)) return sign;
    unpacked x = unpack(a, 23), y = unpack(b, 23);
    int32_t exp = x.exp - y.exp;
    uint32_t rem = x.sig, q = 0;
    if (rem < y.sig) { rem <<= 1; exp -= 1; }               // quotient in [1, 2)
    // Long division: 26 quotient bits (24 + 2 below the last), then sticky.
    for (int i = 0; i < 26; i++) {
        q <<= 1;
        if (rem >= y.sig) { rem -= y.sig; q |= 1; }
        rem <<= 1;
    }
    return round_pack(sign, exp - 26, (q << 1) | (rem != 0));
}

// MARK: - Square root

SF uint32_t sf_sqrt(uint32_t a) {
    if (is_nan(a)) return quiet(a);
    if (is_zero(a)) return a;                               // sqrt(-0) = -0
    if (a & SIGN_BIT) return DEFAULT_NAN;
    if (is_inf(a)) return a;
    unpacked x = unpack(a, 23);
    uint64_t m = x.sig;
    int32_t exp = x.exp;
    if (exp & 1) { m <<= 1; exp -= 1; }                     // even exponent
    // sqrt(m * 2^26) has 25 or 26 bits: the result's 24, one more, and the
    // remainder as sticky. m * 2^26 < 2^51 fits the 52 bits read below.
    m <<= 26;
    exp -= 26;
    uint32_t root = 0, rem = 0;
    m <<= 12;                                               // 52 bits to the top
    for (int i = 0; i < 26; i++) {
        rem = (rem << 2) | (uint32_t)(m >> 62);
        m <<= 2;
        root <<= 1;
        uint32_t trial = (root << 1) | 1;
        if (rem >= trial) { rem -= trial; root |= 1; }
    }
    return round_pack(0, exp / 2 - 1, (root << 1) | (rem != 0));
}

// MARK: - Comparison

/// -1, 0, 1 for less, equal, greater; 2 if either is NaN.
SF int sf_compare(uint32_t a, uint32_t b) {
    if (is_nan(a) || is_nan(b)) return 2;
    // Sign-magnitude to two's complement; -0 and +0 both become 0.
    int32_t x = (a & SIGN_BIT) ? -(int32_t)(a & ~SIGN_BIT) : (int32_t)a;
    int32_t y = (b & SIGN_BIT) ? -(int32_t)(b & ~SIGN_BIT) : (int32_t)b;
    return x < y ? -1 : x > y;
}

// MARK: - Conversion

SF uint32_t sf_from_u64(uint32_t sign, uint64_t magnitude) {
    if (magnitude == 0) return sign;
    int32_t exp = 0;
    uint32_t s = narrow_sticky(magnitude, &exp);
    return round_pack(sign, exp, s);
}

SF uint32_t sf_from_i64(int64_t v) {
    return v < 0 ? sf_from_u64(SIGN_BIT, 0 - (uint64_t)v) : sf_from_u64(0, (uint64_t)v);
}

/// Truncates toward zero and saturates to [lo, hi] as Arm's vcvt does; NaN
/// gives 0. (Swift checks the range before converting, so only the
/// in-range results matter to it.)
SF int64_t sf_to_i64(uint32_t a, int64_t lo, int64_t hi) {
    if (is_nan(a)) return 0;
    int32_t e = (int32_t)((a >> 23) & 0xFF) - 127;
    if (e < 0) return 0;
    bool negative = a & SIGN_BIT;
    if (e >= 63) return negative ? lo : hi;
    uint64_t m = (a & FRAC_MASK) | 0x00800000u;
    m = e >= 23 ? m << (e - 23) : m >> (23 - e);
    if (negative) {
        // -m, saturated; m <= 2^63 - 1 here.
        int64_t v = -(int64_t)m;
        return v < lo ? lo : v;
    }
    return (int64_t)m > hi ? hi : (int64_t)m;
}

SF uint64_t sf_to_u64(uint32_t a, uint64_t hi) {
    if (is_nan(a) || (a & SIGN_BIT)) return 0;
    int32_t e = (int32_t)((a >> 23) & 0xFF) - 127;
    if (e < 0) return 0;
    if (e >= 64) return hi;
    uint64_t m = (a & FRAC_MASK) | 0x00800000u;
    m = e >= 23 ? m << (e - 23) : m >> (23 - e);
    return m > hi ? hi : m;
}

// MARK: - Rounding to integral values

enum rounding { TO_ZERO, DOWN, UP, HALF_AWAY, HALF_EVEN };

SF uint32_t sf_round(uint32_t a, enum rounding mode) {
    if (is_nan(a)) return quiet(a);
    int32_t e = (int32_t)((a >> 23) & 0xFF) - 127;
    if (e >= 23) return a;                                  // integral (or inf)
    uint32_t sign = a & SIGN_BIT;
    if (e < 0) {
        // |a| < 1: the result is +-0 or +-1.
        if (is_zero(a)) return a;
        bool one;
        switch (mode) {
        case DOWN: one = sign != 0; break;
        case UP: one = sign == 0; break;
        case HALF_AWAY: one = e == -1; break;
        case HALF_EVEN: one = e == -1 && (a & FRAC_MASK) != 0; break;
        default: one = false; break;
        }
        return sign | (one ? ONE_BITS : 0);
    }
    uint32_t fraction_mask = FRAC_MASK >> e;                // bits below the units
    uint32_t fraction = a & fraction_mask;
    if (fraction == 0) return a;
    uint32_t unit = fraction_mask + 1;                      // the units bit
    uint32_t half = unit >> 1;
    uint32_t t = a & ~fraction_mask;
    bool up;
    switch (mode) {
    case DOWN: up = sign != 0; break;
    case UP: up = sign == 0; break;
    case HALF_AWAY: up = fraction >= half; break;
    case HALF_EVEN: up = fraction > half || (fraction == half && (t & unit)); break;
    default: up = false; break;
    }
    // Adding one unit to the magnitude may carry into the exponent: right.
    return up ? t + unit : t;
}

SF bool is_signaling(uint32_t x) { return is_nan(x) && !(x & QUIET_BIT); }

SF uint32_t sf_min(uint32_t a, uint32_t b) {
    // IEEE 754-2008 minNum, as glibc: a quiet NaN operand is ignored, a
    // signaling one gives NaN; -0 < +0.
    if (is_signaling(a) || is_signaling(b)) return quiet(is_signaling(a) ? a : b);
    if (is_nan(a)) return is_nan(b) ? quiet(a) : b;
    if (is_nan(b)) return a;
    int c = sf_compare(a, b);
    if (c == 0) return (a | b) & SIGN_BIT ? (a | b) : a;
    return c < 0 ? a : b;
}

SF uint32_t sf_max(uint32_t a, uint32_t b) {
    if (is_signaling(a) || is_signaling(b)) return quiet(is_signaling(a) ? a : b);
    if (is_nan(a)) return is_nan(b) ? quiet(a) : b;
    if (is_nan(b)) return a;
    int c = sf_compare(a, b);
    if (c == 0) return a & b & SIGN_BIT ? a : (a & ~SIGN_BIT);
    return c > 0 ? a : b;
}

#ifndef SOFTFLOAT_NO_EXPORTS
// MARK: - Exported names

typedef union { float f; uint32_t u; } f32;
static uint32_t bits(float f) { f32 v = {.f = f}; return v.u; }
static float from_bits(uint32_t u) { f32 v = {.u = u}; return v.f; }

// libm: called on every target (floor & co. have no instruction on the
// Cortex-M4F or on RV32F; fmaf and sqrtf only where there is no FPU).
float fmaf(float a, float b, float c) { return from_bits(sf_fma(bits(a), bits(b), bits(c))); }
float sqrtf(float a) { return from_bits(sf_sqrt(bits(a))); }
float floorf(float a) { return from_bits(sf_round(bits(a), DOWN)); }
float ceilf(float a) { return from_bits(sf_round(bits(a), UP)); }
float truncf(float a) { return from_bits(sf_round(bits(a), TO_ZERO)); }
float roundf(float a) { return from_bits(sf_round(bits(a), HALF_AWAY)); }
float rintf(float a) { return from_bits(sf_round(bits(a), HALF_EVEN)); }
float nearbyintf(float a) { return from_bits(sf_round(bits(a), HALF_EVEN)); }
float roundevenf(float a) { return from_bits(sf_round(bits(a), HALF_EVEN)); }
float fminf(float a, float b) { return from_bits(sf_min(bits(a), bits(b))); }
float fmaxf(float a, float b) { return from_bits(sf_max(bits(a), bits(b))); }

#if (defined(__arm__) && !(defined(__ARM_FP) && (__ARM_FP & 4))) || \
    (defined(__riscv) && !defined(__riscv_flen))
// Soft-float ABI: a float travels in an integer register, so the helpers
// take and return its bits as uint32_t.

// Names GCC's libgcc uses (RISC-V, and ARM for what has no __aeabi_ name).
uint32_t __addsf3(uint32_t a, uint32_t b) { return sf_add(a, b); }
uint32_t __subsf3(uint32_t a, uint32_t b) { return sf_sub(a, b); }
uint32_t __mulsf3(uint32_t a, uint32_t b) { return sf_mul(a, b); }
uint32_t __divsf3(uint32_t a, uint32_t b) { return sf_div(a, b); }
uint32_t __negsf2(uint32_t a) { return a ^ SIGN_BIT; }
uint32_t __floatsisf(int32_t v) { return sf_from_i64(v); }
uint32_t __floatunsisf(uint32_t v) { return sf_from_u64(0, v); }
uint32_t __floatdisf(int64_t v) { return sf_from_i64(v); }
uint32_t __floatundisf(uint64_t v) { return sf_from_u64(0, v); }
int32_t __fixsfsi(uint32_t a) { return (int32_t)sf_to_i64(a, INT32_MIN, INT32_MAX); }
uint32_t __fixunssfsi(uint32_t a) { return (uint32_t)sf_to_u64(a, UINT32_MAX); }
int64_t __fixsfdi(uint32_t a) { return sf_to_i64(a, INT64_MIN, INT64_MAX); }
uint64_t __fixunssfdi(uint32_t a) { return sf_to_u64(a, UINT64_MAX); }
// Comparisons: unordered counts as "not equal" / "not less" / "not greater".
int __eqsf2(uint32_t a, uint32_t b) { return sf_compare(a, b) != 0; }
int __nesf2(uint32_t a, uint32_t b) { return sf_compare(a, b) != 0; }
int __ltsf2(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == 2 ? 1 : c; }
int __lesf2(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == 2 ? 1 : c; }
int __cmpsf2(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == 2 ? 1 : c; }
int __gtsf2(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == 2 ? -1 : c; }
int __gesf2(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == 2 ? -1 : c; }
int __unordsf2(uint32_t a, uint32_t b) { return sf_compare(a, b) == 2; }

#if defined(__arm__)
// ARM run-time ABI names.
uint32_t __aeabi_fadd(uint32_t a, uint32_t b) { return sf_add(a, b); }
uint32_t __aeabi_fsub(uint32_t a, uint32_t b) { return sf_sub(a, b); }
uint32_t __aeabi_frsub(uint32_t a, uint32_t b) { return sf_sub(b, a); }
uint32_t __aeabi_fmul(uint32_t a, uint32_t b) { return sf_mul(a, b); }
uint32_t __aeabi_fdiv(uint32_t a, uint32_t b) { return sf_div(a, b); }
uint32_t __aeabi_i2f(int32_t v) { return sf_from_i64(v); }
uint32_t __aeabi_ui2f(uint32_t v) { return sf_from_u64(0, v); }
uint32_t __aeabi_l2f(int64_t v) { return sf_from_i64(v); }
uint32_t __aeabi_ul2f(uint64_t v) { return sf_from_u64(0, v); }
int32_t __aeabi_f2iz(uint32_t a) { return (int32_t)sf_to_i64(a, INT32_MIN, INT32_MAX); }
uint32_t __aeabi_f2uiz(uint32_t a) { return (uint32_t)sf_to_u64(a, UINT32_MAX); }
int64_t __aeabi_f2lz(uint32_t a) { return sf_to_i64(a, INT64_MIN, INT64_MAX); }
uint64_t __aeabi_f2ulz(uint32_t a) { return sf_to_u64(a, UINT64_MAX); }
int __aeabi_fcmpeq(uint32_t a, uint32_t b) { return sf_compare(a, b) == 0; }
int __aeabi_fcmplt(uint32_t a, uint32_t b) { return sf_compare(a, b) == -1; }
int __aeabi_fcmple(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == -1 || c == 0; }
int __aeabi_fcmpgt(uint32_t a, uint32_t b) { return sf_compare(a, b) == 1; }
int __aeabi_fcmpge(uint32_t a, uint32_t b) { int c = sf_compare(a, b); return c == 1 || c == 0; }
int __aeabi_fcmpun(uint32_t a, uint32_t b) { return sf_compare(a, b) == 2; }
#endif
#endif
#endif
