// Int8Kernels.dense for ARMv6-M (Cortex-M0/M0+): z[j] = b[j] + sum_i
// w[j][i] * x[i], exact in int32. The core calls it only when compiled with
// -D TINYNN_THUMB1_INT8 (board.env of microbit: SWIFT_DEFINES); elsewhere
// this file is empty. Int8Kernels.denseReference (Sources/TinyNN/Quantized/
// Int8Kernels.swift) stays the definition: every sum is exact, so any order
// of terms gives its bits, and the inference-int8 app compares the two over
// 561 shapes at start-up.
//
// Why assembly: Thumb-1 loads a signed byte only as ldrsb [rn, rm], both
// registers low (r0-r7), and multiplies only low registers. Per MAC the floor
// is a weight load, a multiply and an add; the input byte can be shared by
// rows. Four rows need four weight addresses, the input's, one index, the
// input value and the product: the eight low registers. The four sums then
// live in r8-r11, where `add r8, r2` still adds in one instruction. LLVM
// keeps every value it computes with in low registers and spills the sums
// (Swift's two-row loop was 10 instructions per 2 MACs, a 4-row one 26 per 4).
//
// Registers in the row loops: r0 the index i, from -n up to 0 (its adds sets
// Z at the end, so no compare), r1 x[i], r2 a product, r3 x + n, r4-r7 the
// ends of the rows' weights (w_j + n, ...), r8-r11 the four sums (one and two
// rows: r6, r7), r12 n, lr the rows left. Stack: [sp] b, [sp + 4] z,
// [sp + 8] the next row's weights, then r8-r11, r4-r7 and lr, then the stack
// arguments n and m.
//
// Per four rows: 29 instructions per two inputs (3.63 per MAC; the loop
// takes two a round, an odd first input alone) and about 34 around the loop;
// two rows 9 per input, one row 6.
#include "support.h"

#if defined(__thumb__) && !defined(__thumb2__)

/// w: [m][n], b: [m], x: [n] → z: [m]; n, m ≥ 0.
__attribute__((naked)) void tinynn_dense_int8_thumb1(const int8_t *w, const int32_t *b, const int8_t *x,
                                                    int32_t *z, int32_t n, int32_t m) {
    __asm__ volatile(
        "   push {r4-r7, lr}\n"
        "   mov r4, r8\n"
        "   mov r5, r9\n"
        "   mov r6, r10\n"
        "   mov r7, r11\n"
        "   push {r4-r7}\n"
        "   sub sp, #12\n"
        "   ldr r4, [sp, #48]\n" // n
        "   ldr r5, [sp, #52]\n" // m
        "   cmp r4, #0\n"
        "   bne .Lt1_rows\n"
        "   b .Lt1_copy\n"
        ".Lt1_rows:\n"
        "   str r1, [sp, #0]\n"
        "   str r3, [sp, #4]\n"
        "   str r0, [sp, #8]\n"
        "   mov r12, r4\n"
        "   mov lr, r5\n"
        "   adds r3, r2, r4\n"
        "   mov r0, r5\n"
        "   cmp r0, #4\n"
        "   blt .Lt1_pair\n"
        // Four rows.
        ".Lt1_quad:\n"
        "   ldr r0, [sp, #0]\n"
        "   ldm r0!, {r1, r2, r4, r5}\n"
        "   str r0, [sp, #0]\n"
        "   mov r8, r1\n"
        "   mov r9, r2\n"
        "   mov r10, r4\n"
        "   mov r11, r5\n"
        "   ldr r4, [sp, #8]\n"
        "   add r4, r12\n"
        "   mov r5, r4\n"
        "   add r5, r12\n"
        "   mov r6, r5\n"
        "   add r6, r12\n"
        "   mov r7, r6\n"
        "   add r7, r12\n"
        "   str r7, [sp, #8]\n"
        "   mov r0, r12\n"
        "   rsbs r0, r0, #0\n"
        // n odd: one input first, then two a round (one branch per two).
        "   mov r1, r12\n"
        "   lsrs r1, r1, #1\n"
        "   bcc .Lt1_quad_loop\n"
        "   ldrsb r1, [r3, r0]\n"
        "   ldrsb r2, [r4, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r8, r2\n"
        "   ldrsb r2, [r5, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r9, r2\n"
        "   ldrsb r2, [r6, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r10, r2\n"
        "   ldrsb r2, [r7, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r11, r2\n"
        "   adds r0, #1\n"
        "   beq .Lt1_quad_end\n"
        ".Lt1_quad_loop:\n"
        "   ldrsb r1, [r3, r0]\n"
        "   ldrsb r2, [r4, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r8, r2\n"
        "   ldrsb r2, [r5, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r9, r2\n"
        "   ldrsb r2, [r6, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r10, r2\n"
        "   ldrsb r2, [r7, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r11, r2\n"
        "   adds r0, #1\n"
        "   ldrsb r1, [r3, r0]\n"
        "   ldrsb r2, [r4, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r8, r2\n"
        "   ldrsb r2, [r5, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r9, r2\n"
        "   ldrsb r2, [r6, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r10, r2\n"
        "   ldrsb r2, [r7, r0]\n"
        "   muls r2, r1, r2\n"
        "   add r11, r2\n"
        "   adds r0, #1\n"
        "   bne .Lt1_quad_loop\n"
        ".Lt1_quad_end:\n"
        "   ldr r0, [sp, #4]\n"
        "   mov r1, r8\n"
        "   mov r2, r9\n"
        "   mov r4, r10\n"
        "   mov r5, r11\n"
        "   stm r0!, {r1, r2, r4, r5}\n"
        "   str r0, [sp, #4]\n"
        "   mov r0, lr\n"
        "   subs r0, #4\n"
        "   mov lr, r0\n"
        "   cmp r0, #4\n"
        "   bge .Lt1_quad\n"
        // Two rows (r0 = rows left, 0-3).
        ".Lt1_pair:\n"
        "   cmp r0, #2\n"
        "   blt .Lt1_single\n"
        "   ldr r0, [sp, #0]\n"
        "   ldm r0!, {r6, r7}\n"
        "   str r0, [sp, #0]\n"
        "   ldr r4, [sp, #8]\n"
        "   add r4, r12\n"
        "   mov r5, r4\n"
        "   add r5, r12\n"
        "   str r5, [sp, #8]\n"
        "   mov r0, r12\n"
        "   rsbs r0, r0, #0\n"
        ".Lt1_pair_loop:\n"
        "   ldrsb r1, [r3, r0]\n"
        "   ldrsb r2, [r4, r0]\n"
        "   muls r2, r1, r2\n"
        "   adds r6, r6, r2\n"
        "   ldrsb r2, [r5, r0]\n"
        "   muls r2, r1, r2\n"
        "   adds r7, r7, r2\n"
        "   adds r0, #1\n"
        "   bne .Lt1_pair_loop\n"
        "   ldr r0, [sp, #4]\n"
        "   stm r0!, {r6, r7}\n"
        "   str r0, [sp, #4]\n"
        "   mov r0, lr\n"
        "   subs r0, #2\n"
        // One row (r0 = rows left, 0-1).
        ".Lt1_single:\n"
        "   cmp r0, #1\n"
        "   blt .Lt1_done\n"
        "   ldr r0, [sp, #0]\n"
        "   ldr r6, [r0]\n"
        "   ldr r4, [sp, #8]\n"
        "   add r4, r12\n"
        "   mov r0, r12\n"
        "   rsbs r0, r0, #0\n"
        ".Lt1_single_loop:\n"
        "   ldrsb r1, [r3, r0]\n"
        "   ldrsb r2, [r4, r0]\n"
        "   muls r2, r1, r2\n"
        "   adds r6, r6, r2\n"
        "   adds r0, #1\n"
        "   bne .Lt1_single_loop\n"
        "   ldr r0, [sp, #4]\n"
        "   str r6, [r0]\n"
        "   b .Lt1_done\n"
        // n = 0: z = b.
        ".Lt1_copy:\n"
        "   cmp r5, #0\n"
        "   beq .Lt1_done\n"
        "   ldm r1!, {r2}\n"
        "   stm r3!, {r2}\n"
        "   subs r5, #1\n"
        "   b .Lt1_copy\n"
        ".Lt1_done:\n"
        "   add sp, #12\n"
        "   pop {r4-r7}\n"
        "   mov r8, r4\n"
        "   mov r9, r5\n"
        "   mov r10, r6\n"
        "   mov r11, r7\n"
        "   pop {r4-r7, pc}\n");
}

#endif
