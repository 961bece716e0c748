// Int8Kernels.requantize for ARMv6-M (Cortex-M0/M0+), the usual shift <= -2:
// a[j] = clamp(((hi32(z[j] * m[j]) + 2^(k-1)) >> k) + zeroPoint, lo, 127)
// with k = -1 - shift >= 1 (Requantization.multiply(_:by:half:k:)). The core
// calls it only when compiled with -D TINYNN_THUMB1_INT8 (board.env of
// microbit); elsewhere this file is empty. The Swift loop
// (Int8Kernels.requantizePortable) stays the definition, and the
// inference-int8 app compares the two at start-up (RequantizeCheck.swift:
// every shift, exact ties and their neighbours, sums of 8 to 31 bits).
//
// ARMv6-M has no 32x32->64 multiply, so hi32 comes from 16-bit halves as in
// Requantization.highWordInHalves, regrouped for fewer instructions: with
// z = zh*2^16 + zl (zh signed, zl in 0..65535) and m = mh*2^16 + ml (m >= 0,
// so mh in 0..32767), the four products hh = zh*mh, p1 = zh*ml, p2 = zl*mh
// >= 0 and ll = zl*ml (unsigned) are exact in 32 bits, and
//   hi32(z*m) = hh + floor((p1 + p2 + floor(ll/2^16)) / 2^16)
//             = hh + (mid >> 16) + (((mid & 0xFFFF) + p2) >> 16),
//   mid = p1 + (ll >> 16)   (|p1| < 2^31 - 2^16, so mid cannot wrap; the last
//   sum is in 0..2^31). Swift's loop compiled to 44 instructions an output,
//   spilling its constants; here it is 31 with the constants in r9-r12, lr.
//
// Registers: r0 z, r1 m, r2 a, r3 the result, r4-r7 the halves and products,
// r9 the end of z, r10 2^(k-1), r11 k, r12 zeroPoint, lr lo.
#include "support.h"

#if defined(__thumb__) && !defined(__thumb2__)

/// z, m: [count]; a: [count]; k in 1...31; count >= 0.
__attribute__((naked)) void tinynn_requantize_int8_thumb1(const int32_t *z, const int32_t *m, int8_t *a,
                                                         int32_t count, int32_t k, int32_t zeroPoint, int32_t lo) {
    __asm__ volatile(
        "   push {r4-r7, lr}\n"
        "   mov r4, r9\n"
        "   mov r5, r10\n"
        "   mov r6, r11\n"
        "   push {r4-r6}\n"
        // stack arguments: k at sp+32, zeroPoint at sp+36, lo at sp+40
        "   cmp r3, #0\n"
        "   ble .Lrq_done\n"
        "   lsls r3, r3, #2\n"
        "   adds r3, r0, r3\n"
        "   mov r9, r3\n"
        "   ldr r4, [sp, #32]\n"
        "   mov r11, r4\n"
        "   subs r4, #1\n"
        "   movs r5, #1\n"
        "   lsls r5, r4\n"
        "   mov r10, r5\n"
        "   ldr r4, [sp, #36]\n"
        "   mov r12, r4\n"
        "   ldr r4, [sp, #40]\n"
        "   mov lr, r4\n"
        ".Lrq_loop:\n"
        "   ldm r0!, {r4}\n"        // z
        "   ldm r1!, {r5}\n"        // m
        "   asrs r6, r4, #16\n"     // zh
        "   uxth r4, r4\n"          // zl
        "   lsrs r7, r5, #16\n"     // mh
        "   uxth r5, r5\n"          // ml
        "   mov r3, r6\n"
        "   muls r3, r7, r3\n"      // hh = zh*mh
        "   muls r6, r5, r6\n"      // p1 = zh*ml
        "   muls r7, r4, r7\n"      // p2 = zl*mh
        "   muls r4, r5, r4\n"      // ll = zl*ml
        "   lsrs r4, r4, #16\n"
        "   adds r4, r4, r6\n"      // mid = p1 + (ll >> 16)
        "   uxth r6, r4\n"
        "   adds r6, r6, r7\n"      // (mid & 0xFFFF) + p2
        "   lsrs r6, r6, #16\n"
        "   asrs r4, r4, #16\n"
        "   adds r3, r3, r4\n"
        "   adds r3, r3, r6\n"      // hi32(z*m)
        "   add r3, r10\n"          // + 2^(k-1)
        "   mov r4, r11\n"
        "   asrs r3, r4\n"          // >> k
        "   add r3, r12\n"          // + zeroPoint
        "   cmp r3, lr\n"
        "   bge 1f\n"
        "   mov r3, lr\n"
        "1: cmp r3, #127\n"
        "   ble 2f\n"
        "   movs r3, #127\n"
        "2: strb r3, [r2]\n"
        "   adds r2, #1\n"
        "   cmp r0, r9\n"
        "   bne .Lrq_loop\n"
        ".Lrq_done:\n"
        "   pop {r4-r6}\n"
        "   mov r9, r4\n"
        "   mov r10, r5\n"
        "   mov r11, r6\n"
        "   pop {r4-r7, pc}\n");
}

#endif
