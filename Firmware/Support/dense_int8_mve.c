// Int8Kernels.dense for Cortex-M55 (Helium, MVE integer): z[j] = b[j] +
// sum_i w[j][i] * x[i], exact in int32. Built into every firmware whose CPU
// has MVE; the core calls it only when compiled with -D TINYNN_MVE_INT8
// (board.env SWIFT_DEFINES of mps3-an547). The Swift kernel
// (Sources/TinyNN/Quantized/Int8Kernels.swift, densePortable) stays the
// reference: every sum is exact, so any order of terms gives its bits, and
// the inference-int8 app compares the two over 231 shapes at start-up.
//
// The weights stay [Out][In] as exported. Four rows at a time: per 16
// inputs one vldrb.s8 of x, one of each row's 16 weights and one
// vmladava.s8 a row (16 MACs into a core register): 9 instructions for 64
// MACs in a tail-predicated low-overhead loop (dlstp.8/letp), which also
// takes In % 16 without a separate tail. The last Out % 4 rows go one at a
// time through the same loop. Assembly (naked) because C with the ACLE
// intrinsics gave the same loop but 35 instructions a block (spills).
#if defined(__ARM_FEATURE_MVE)
#include <stdint.h>

// r0 w, r1 b, r2 x, r3 z; stack: n, m. Four rows a block: r0, r5, r7, r9
// the rows (r11 the next block's first), r12 the input, r4, r6, r8, r10 the
// sums (vmlava accumulates into even registers only; one ldm of four
// biases, one stm of four sums), lr the loop's count of inputs left (dlstp.8 predicates the last 16 when In % 16 != 0). Per block 13
// instructions besides the loop's 10 per 16 inputs.
__attribute__((naked)) void tinynn_dense_int8_mve(const int8_t *w, const int32_t *b, const int8_t *x, int32_t *z,
                                                  int32_t n, int32_t m) {
    __asm__ volatile(
        "   push {r4-r11, lr}\n"
        // incoming stack arguments: n at sp+36, m at sp+40
        "   ldr r12, [sp, #40]\n"
        "   bic r11, r12, #3\n"
        "   add r11, r3, r11, lsl #2\n"  // z end of the four-row blocks
        "   push {r11, r12}\n"           // [sp] z end, [sp+4] m; n now at sp+44
        "   cmp r3, r11\n"
        "   beq 3f\n"
        "1: ldr lr, [sp, #44]\n"
        "   add r5, r0, lr\n"
        "   add r7, r5, lr\n"
        "   add r9, r7, lr\n"
        "   add r11, r9, lr\n"
        "   ldm r1!, {r4, r6, r8, r10}\n"
        "   mov r12, r2\n"
        "   dlstp.8 lr, lr\n"
        "2: vldrb.u8 q0, [r12], #16\n"
        "   vldrb.u8 q1, [r0], #16\n"
        "   vmlava.s8 r4, q1, q0\n"
        "   vldrb.u8 q1, [r5], #16\n"
        "   vmlava.s8 r6, q1, q0\n"
        "   vldrb.u8 q1, [r7], #16\n"
        "   vmlava.s8 r8, q1, q0\n"
        "   vldrb.u8 q1, [r9], #16\n"
        "   vmlava.s8 r10, q1, q0\n"
        "   letp lr, 2b\n"
        "   stm r3!, {r4, r6, r8, r10}\n"
        "   mov r0, r11\n"
        "   ldr r12, [sp]\n"
        "   cmp r3, r12\n"
        "   bne 1b\n"
        // The last m % 4 rows, one at a time.
        "3: ldr r11, [sp, #4]\n"
        "   ands r11, r11, #3\n"
        "   beq 6f\n"
        "4: ldr lr, [sp, #44]\n"
        "   add r5, r0, lr\n"
        "   ldr r4, [r1], #4\n"
        "   mov r12, r2\n"
        "   dlstp.8 lr, lr\n"
        "5: vldrb.u8 q0, [r12], #16\n"
        "   vldrb.u8 q1, [r0], #16\n"
        "   vmlava.s8 r4, q1, q0\n"
        "   letp lr, 5b\n"
        "   str r4, [r3], #4\n"
        "   mov r0, r5\n"
        "   subs r11, r11, #1\n"
        "   bne 4b\n"
        "6: add sp, #8\n"
        "   pop {r4-r11, pc}\n");
}
#endif
