// The integer and atomic helpers LLVM calls where the CPU lacks the
// instruction (the subset of compiler-rt the firmware needs; the Swift
// toolchain ships no bare-metal compiler-rt). Every function here is built
// from 32-bit operations that the targets have, so none of them can end up
// calling itself: on ARMv6-M, for instance, a 64-bit multiply in C becomes a
// call to __aeabi_lmul.
#include <stdbool.h>
#include <stdint.h>

// MARK: - Bit counts

int __clzsi2(uint32_t x) {
    if (x == 0) return 32;
    int n = 0;
    if (!(x & 0xFFFF0000u)) { n += 16; x <<= 16; }
    if (!(x & 0xFF000000u)) { n += 8; x <<= 8; }
    if (!(x & 0xF0000000u)) { n += 4; x <<= 4; }
    if (!(x & 0xC0000000u)) { n += 2; x <<= 2; }
    if (!(x & 0x80000000u)) { n += 1; }
    return n;
}

int __clzdi2(uint64_t x) {
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? __clzsi2(hi) : 32 + __clzsi2((uint32_t)x);
}

int __ctzsi2(uint32_t x) {
    if (x == 0) return 32;
    // x & -x isolates the lowest set bit; its position is 31 - clz.
    return 31 - __clzsi2(x & (0u - x));
}

int __ctzdi2(uint64_t x) {
    uint32_t lo = (uint32_t)x;
    return lo ? __ctzsi2(lo) : 32 + __ctzsi2((uint32_t)(x >> 32));
}

int __popcountsi2(uint32_t x) {
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (int)((x + (x >> 8) + (x >> 16) + (x >> 24)) & 0x3F);
}

int __popcountdi2(uint64_t x) {
    return __popcountsi2((uint32_t)x) + __popcountsi2((uint32_t)(x >> 32));
}

// MARK: - 64-bit shifts and multiply

uint64_t __ashldi3(uint64_t x, int n) {
    uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
    if (n & 32) { hi = lo << (n & 31); lo = 0; }
    else if (n) { hi = (hi << n) | (lo >> (32 - n)); lo <<= n; }
    return ((uint64_t)hi << 32) | lo;
}

uint64_t __lshrdi3(uint64_t x, int n) {
    uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
    if (n & 32) { lo = hi >> (n & 31); hi = 0; }
    else if (n) { lo = (lo >> n) | (hi << (32 - n)); hi >>= n; }
    return ((uint64_t)hi << 32) | lo;
}

int64_t __ashrdi3(int64_t x, int n) {
    uint32_t lo = (uint32_t)x;
    int32_t hi = (int32_t)(x >> 32);
    if (n & 32) { lo = (uint32_t)(hi >> (n & 31)); hi >>= 31; }
    else if (n) { lo = (lo >> n) | ((uint32_t)hi << (32 - n)); hi >>= n; }
    return (int64_t)(((uint64_t)(uint32_t)hi << 32) | lo);
}

// 32 x 32 -> 64 from four 16 x 16 -> 32 products.
static uint64_t mul32x32(uint32_t a, uint32_t b) {
    uint32_t a0 = a & 0xFFFF, a1 = a >> 16, b0 = b & 0xFFFF, b1 = b >> 16;
    uint32_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint32_t mid = (p00 >> 16) + (p01 & 0xFFFF) + (p10 & 0xFFFF);
    uint32_t lo = (mid << 16) | (p00 & 0xFFFF);
    uint32_t hi = p11 + (p01 >> 16) + (p10 >> 16) + (mid >> 16);
    return ((uint64_t)hi << 32) | lo;
}

uint64_t __muldi3(uint64_t a, uint64_t b) {
    uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
    uint32_t bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
    return mul32x32(al, bl) + ((uint64_t)(al * bh + ah * bl) << 32);
}

// MARK: - Division

uint32_t __udivmodsi4(uint32_t n, uint32_t d, uint32_t *rem) {
    uint32_t q = 0;
    if (d == 0) { if (rem) *rem = n; return 0xFFFFFFFFu; }   // Swift traps first
    if (n >= d) {
        int shift = __clzsi2(d) - __clzsi2(n);
        d <<= shift;
        for (; shift >= 0; shift--, d >>= 1) {
            q <<= 1;
            if (n >= d) { n -= d; q |= 1; }
        }
    }
    if (rem) *rem = n;
    return q;
}

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem) {
    uint64_t q = 0;
    if (d == 0) { if (rem) *rem = n; return ~(uint64_t)0; }  // Swift traps first
    if (n >= d) {
        int shift = __clzdi2(d) - __clzdi2(n);
        d = __ashldi3(d, shift);
        for (; shift >= 0; shift--) {
            q = (q << 1);
            if (n >= d) { n -= d; q |= 1; }
            d >>= 1;
        }
    }
    if (rem) *rem = n;
    return q;
}

int64_t __divmoddi4(int64_t a, int64_t b, int64_t *rem) {
    uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    uint64_t ur;
    uint64_t uq = __udivmoddi4(ua, ub, &ur);
    if (rem) *rem = a < 0 ? (int64_t)(0 - ur) : (int64_t)ur;
    return (a < 0) != (b < 0) ? (int64_t)(0 - uq) : (int64_t)uq;
}

uint64_t __udivdi3(uint64_t n, uint64_t d) { return __udivmoddi4(n, d, 0); }
uint64_t __umoddi3(uint64_t n, uint64_t d) { uint64_t r; __udivmoddi4(n, d, &r); return r; }
int64_t __divdi3(int64_t a, int64_t b) { return __divmoddi4(a, b, 0); }
int64_t __moddi3(int64_t a, int64_t b) { int64_t r; __divmoddi4(a, b, &r); return r; }

#if defined(__arm__)
// MARK: - ARM run-time ABI names

uint64_t __aeabi_llsl(uint64_t x, int n) { return __ashldi3(x, n); }
uint64_t __aeabi_llsr(uint64_t x, int n) { return __lshrdi3(x, n); }
int64_t __aeabi_lasr(int64_t x, int n) { return __ashrdi3(x, n); }
uint64_t __aeabi_lmul(uint64_t a, uint64_t b) { return __muldi3(a, b); }

uint32_t __aeabi_uidiv(uint32_t n, uint32_t d) { return __udivmodsi4(n, d, 0); }

int32_t __aeabi_idiv(int32_t a, int32_t b) {
    uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
    uint32_t ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
    uint32_t q = __udivmodsi4(ua, ub, 0);
    return (a < 0) != (b < 0) ? (int32_t)(0u - q) : (int32_t)q;
}

// {quotient, remainder} come back in r0, r1: the two halves of a uint64_t.
uint64_t __aeabi_uidivmod(uint32_t n, uint32_t d) {
    uint32_t r;
    uint32_t q = __udivmodsi4(n, d, &r);
    return ((uint64_t)r << 32) | q;
}

uint64_t __aeabi_idivmod(int32_t a, int32_t b) {
    uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
    uint32_t ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
    uint32_t r;
    uint32_t q = __udivmodsi4(ua, ub, &r);
    if ((a < 0) != (b < 0)) q = 0u - q;
    if (a < 0) r = 0u - r;
    return ((uint64_t)r << 32) | q;
}

// 64-bit {quotient, remainder} come back in r0-r3, which C cannot express:
// call the C routine with the remainder on the stack, then load it.
#define DIVMOD64(name, helper)                                               \
    __asm__("  .section .text." #name ",\"ax\",%progbits\n"                  \
            "  .syntax unified\n"                                            \
            "  .thumb\n"                                                     \
            "  .globl " #name "\n"                                           \
            "  .type " #name ", %function\n"                                 \
            "  .thumb_func\n"                                                \
            #name ":\n"                                                      \
            "  push {r4, lr}\n"                                              \
            "  sub sp, #16\n"                                                \
            "  add r4, sp, #8\n"                                             \
            "  str r4, [sp]\n"                                               \
            "  bl " #helper "\n"                                             \
            "  ldr r2, [sp, #8]\n"                                           \
            "  ldr r3, [sp, #12]\n"                                          \
            "  add sp, #16\n"                                                \
            "  pop {r4, pc}\n"                                               \
            "  .size " #name ", . - " #name "\n");
DIVMOD64(__aeabi_uldivmod, __udivmoddi4)
DIVMOD64(__aeabi_ldivmod, __divmoddi4)
#endif

#if defined(__ARM_ARCH_6M__)
// MARK: - Atomics for ARMv6-M
// No ldrex/strex: a single core makes "interrupts off" atomic.

static uint32_t irq_save(void) {
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

static void irq_restore(uint32_t primask) {
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

#define ATOMIC_RMW(name, op)                                                  \
    uint32_t name(volatile uint32_t *p, uint32_t v, int order)                \
        __asm__("__atomic_" #name "_4");                                      \
    uint32_t name(volatile uint32_t *p, uint32_t v, int order) {              \
        (void)order;                                                          \
        uint32_t s = irq_save(), old = *p;                                    \
        *p = op;                                                              \
        irq_restore(s);                                                       \
        return old;                                                           \
    }
ATOMIC_RMW(exchange, v)
ATOMIC_RMW(fetch_add, old + v)
ATOMIC_RMW(fetch_sub, old - v)
ATOMIC_RMW(fetch_and, old & v)
ATOMIC_RMW(fetch_or, old | v)
ATOMIC_RMW(fetch_xor, old ^ v)

uint32_t atomic_load4(const volatile uint32_t *p, int order) __asm__("__atomic_load_4");
uint32_t atomic_load4(const volatile uint32_t *p, int order) {
    (void)order;
    return *p;
}

void atomic_store4(volatile uint32_t *p, uint32_t v, int order) __asm__("__atomic_store_4");
void atomic_store4(volatile uint32_t *p, uint32_t v, int order) {
    (void)order;
    *p = v;
}

bool atomic_cas4(volatile uint32_t *p, uint32_t *expected, uint32_t desired, int success,
                 int failure) __asm__("__atomic_compare_exchange_4");
bool atomic_cas4(volatile uint32_t *p, uint32_t *expected, uint32_t desired, int success,
                 int failure) {
    (void)success;
    (void)failure;
    uint32_t s = irq_save();
    bool equal = *p == *expected;
    if (equal) *p = desired;
    else *expected = *p;
    irq_restore(s);
    return equal;
}
#endif
