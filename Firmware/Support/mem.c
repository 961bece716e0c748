// The C library memory functions the Swift runtime and compiler-generated
// code call, the ARM EABI aliases of them, and the allocation entry points
// the embedded runtime still references. There is no heap: the core builds
// with -no-allocations, so reaching one is a fault worth naming.
#include "support.h"
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>
#endif

static int aligned4(const void *a, const void *b) {
    return (((uintptr_t)a | (uintptr_t)b) & 3) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (aligned4(d, s)) {
#if defined(__arm__) && __ARM_ARCH >= 7
        // Eight words per ldm/stm pair: 5 instructions per 32 bytes where
        // the word loop takes 32. Swift copies structs of a few hundred
        // bytes with __aeabi_memcpy4 (NetworkView's table of layers, on
        // every forward and backward pass).
        for (; n >= 32; n -= 32)
            __asm__ volatile("ldmia %0!, {r4-r11}\n stmia %1!, {r4-r11}"
                             : "+r"(s), "+r"(d)
                             :
                             : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "memory");
#endif
        for (; n >= 4; n -= 4, d += 4, s += 4) *(uint32_t *)d = *(const uint32_t *)s;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    // Overlap with the destination above the source: copy backwards.
    d += n;
    s += n;
    if (aligned4(d, s)) {
        for (; n >= 4; n -= 4) {
            d -= 4;
            s -= 4;
            *(uint32_t *)d = *(const uint32_t *)s;
        }
    }
    while (n--) *--d = *--s;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    uint32_t byte = (uint8_t)c;
    if (((uintptr_t)d & 3) == 0) {
        uint32_t word = byte * 0x01010101u;
#if defined(__ARM_FEATURE_MVE)
        // Helium: sixteen words a round, four to a vector store.
        uint32x4_t v = vdupq_n_u32(word);
        for (; n >= 64; n -= 64, d += 64) {
            vst1q_u32((uint32_t *)d, v); vst1q_u32((uint32_t *)d + 4, v);
            vst1q_u32((uint32_t *)d + 8, v); vst1q_u32((uint32_t *)d + 12, v);
        }
#endif
        // Four words a round: the per-batch clearing of the gradient sums
        // (LayerView.update) took 3 instructions a word one at a time.
        for (; n >= 16; n -= 16, d += 16) {
            ((uint32_t *)d)[0] = word; ((uint32_t *)d)[1] = word;
            ((uint32_t *)d)[2] = word; ((uint32_t *)d)[3] = word;
        }
        for (; n >= 4; n -= 4, d += 4) *(uint32_t *)d = word;
    }
    while (n--) *d++ = (uint8_t)byte;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

#if defined(__arm__)
// ARM run-time ABI names; note memset's (dest, n, c) argument order.
void __aeabi_memcpy(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memcpy4(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memcpy8(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memmove(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove4(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove8(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memset(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memset4(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memset8(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memclr(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr4(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr8(void *d, size_t n) { memset(d, 0, n); }
#endif

// MARK: - No heap

static uint32_t return_address(void) {
    return (uint32_t)(uintptr_t)__builtin_return_address(0);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    (void)result;
    (void)alignment;
    support_fault_begin("HeapAllocation", return_address());
    support_fault_field("size", (uint32_t)size);
    support_fault_end("firmware has no heap; pc is the caller");
}

void *malloc(size_t size) {
    support_fault_begin("HeapAllocation", return_address());
    support_fault_field("size", (uint32_t)size);
    support_fault_end("firmware has no heap; pc is the caller");
}

void free(void *pointer) {
    // Only ever reached with NULL (nothing can be allocated).
    (void)pointer;
}
