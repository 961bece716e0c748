// Host test for Firmware/Support/builtins.c: the integer helpers (bit
// counts, 64-bit shifts and multiply, 32- and 64-bit division) against the
// host's own operators, on edge cases and random operands. The helpers are
// renamed so that they do not replace the host's libgcc.
#define __clzsi2 t_clzsi2
#define __clzdi2 t_clzdi2
#define __ctzsi2 t_ctzsi2
#define __ctzdi2 t_ctzdi2
#define __popcountsi2 t_popcountsi2
#define __popcountdi2 t_popcountdi2
#define __ashldi3 t_ashldi3
#define __lshrdi3 t_lshrdi3
#define __ashrdi3 t_ashrdi3
#define __muldi3 t_muldi3
#define __udivmodsi4 t_udivmodsi4
#define __udivmoddi4 t_udivmoddi4
#define __divmoddi4 t_divmoddi4
#define __udivdi3 t_udivdi3
#define __umoddi3 t_umoddi3
#define __divdi3 t_divdi3
#define __moddi3 t_moddi3
#include "../builtins.c"

#include <inttypes.h>
#include <stdio.h>

static uint64_t state = 0xB17;
static uint64_t next64(void) {   // splitmix64
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/// Random with a random number of leading zeros, so every size is covered.
static uint64_t operand(void) { return next64() >> (next64() % 64); }

static long failures, cases;
#define CHECK(name, got, want, a, b)                                                         \
    do {                                                                                     \
        cases++;                                                                             \
        if ((uint64_t)(got) != (uint64_t)(want) && ++failures <= 20)                         \
            printf("MISMATCH %s(0x%" PRIx64 ", 0x%" PRIx64 "): got 0x%" PRIx64               \
                   ", want 0x%" PRIx64 "\n", name, (uint64_t)(a), (uint64_t)(b),             \
                   (uint64_t)(got), (uint64_t)(want));                                       \
    } while (0)

int main(void) {
    for (long i = 0; i < 2000000; i++) {
        uint64_t a = operand(), b = operand();
        uint32_t a32 = (uint32_t)(a >> (a >> 59)), b32 = (uint32_t)(b >> (b >> 59));
        int n = (int)(next64() % 64);
        if (a32) CHECK("clzsi2", t_clzsi2(a32), __builtin_clz(a32), a32, 0);
        if (a) CHECK("clzdi2", t_clzdi2(a), __builtin_clzll(a), a, 0);
        if (a32) CHECK("ctzsi2", t_ctzsi2(a32), __builtin_ctz(a32), a32, 0);
        if (a) CHECK("ctzdi2", t_ctzdi2(a), __builtin_ctzll(a), a, 0);
        CHECK("popcountsi2", t_popcountsi2(a32), __builtin_popcount(a32), a32, 0);
        CHECK("popcountdi2", t_popcountdi2(a), __builtin_popcountll(a), a, 0);
        CHECK("ashldi3", t_ashldi3(a, n), a << n, a, n);
        CHECK("lshrdi3", t_lshrdi3(a, n), a >> n, a, n);
        int64_t s = (int64_t)next64();
        CHECK("ashrdi3", t_ashrdi3(s, n), s >> n, s, n);
        CHECK("muldi3", t_muldi3(a, b), a * b, a, b);
        if (b32) {
            uint32_t r32;
            CHECK("udivmodsi4", t_udivmodsi4(a32, b32, &r32), a32 / b32, a32, b32);
            CHECK("udivmodsi4 rem", r32, a32 % b32, a32, b32);
        }
        if (b) {
            CHECK("udivdi3", t_udivdi3(a, b), a / b, a, b);
            CHECK("umoddi3", t_umoddi3(a, b), a % b, a, b);
            int64_t x = (int64_t)a * ((i & 1) ? -1 : 1), y = (int64_t)b * ((i & 2) ? -1 : 1);
            if (!(x == INT64_MIN && y == -1)) {
                CHECK("divdi3", t_divdi3(x, y), x / y, x, y);
                CHECK("moddi3", t_moddi3(x, y), x % y, x, y);
            }
        }
    }
    printf("builtins         %10ld cases  %s\n", cases, failures ? "FAILED" : "ok");
    return failures != 0;
}
