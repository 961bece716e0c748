// Int8Kernels.dense for Cortex-M55 (Helium, MVE integer): z[j] = b[j] +
// sum_i w[j][i] * x[i], exact in int32. Built into every firmware whose CPU
// has MVE; the core calls it only when compiled with -D TINYNN_MVE_INT8
// (board.env SWIFT_DEFINES of mps3-an547). Int8Kernels.denseReference
// (Sources/TinyNN/Quantized/Int8Kernels.swift) stays the definition: every
// sum is exact, so any order of terms gives its bits, and the inference-int8
// app compares the two over 561 shapes at start-up.
//
// In = 16, 32, 48 or 64 (the small layers of MCU models): the input is
// loaded once into q0-q3 and stays there, and each row is its C = In/16
// vldrb.u8 + vmlava.s8 pairs, rows contiguous so the weight loads
// post-increment; four rows a block (one ldm of biases, one stm of sums, a
// low-overhead loop): 8C + 3 instructions per four rows, 35 for In = 64
// against 53 streaming the input.
//
// Other widths stream. The weights stay [Out][In] as exported. Four rows at a time: per 16
// inputs one vldrb.s8 of x, one of each row's 16 weights and one
// vmladava.s8 a row (16 MACs into a core register): 9 instructions for 64
// MACs in a tail-predicated low-overhead loop (dlstp.8/letp), which also
// takes In % 16 without a separate tail. The last Out % 4 rows go one at a
// time through the same loop. Assembly (naked) because C with the ACLE
// intrinsics gave the same loop but 35 instructions a block (spills).
#if defined(__ARM_FEATURE_MVE)
#include <stdint.h>

// The held-input path, In = 16·C: XC loads the input, RC(s) one row into the
// even register s (weights in q4, saved by the caller of the path).
#define TINYNN_X1 "   vldrb.u8 q0, [r2]\n"
#define TINYNN_X2 TINYNN_X1 "   vldrb.u8 q1, [r2, #16]\n"
#define TINYNN_X3 TINYNN_X2 "   vldrb.u8 q2, [r2, #32]\n"
#define TINYNN_X4 TINYNN_X3 "   vldrb.u8 q3, [r2, #48]\n"
#define TINYNN_R1(s) "   vldrb.u8 q4, [r0], #16\n   vmlava.s8 " s ", q4, q0\n"
#define TINYNN_R2(s) TINYNN_R1(s) "   vldrb.u8 q4, [r0], #16\n   vmlava.s8 " s ", q4, q1\n"
#define TINYNN_R3(s) TINYNN_R2(s) "   vldrb.u8 q4, [r0], #16\n   vmlava.s8 " s ", q4, q2\n"
#define TINYNN_R4(s) TINYNN_R3(s) "   vldrb.u8 q4, [r0], #16\n   vmlava.s8 " s ", q4, q3\n"
// r12 the rows; four a block, then the last m % 4 one at a time.
#define TINYNN_HELD(C, X, R)                                  \
    ".Lheld" #C ":\n" X                                      \
    "   lsrs r5, r12, #2\n"                                  \
    "   wls lr, r5, .Lheld" #C "_rest\n"                     \
    ".Lheld" #C "_block:\n"                                  \
    "   ldm r1!, {r4, r6, r8, r10}\n"                        \
    R("r4") R("r6") R("r8") R("r10")                         \
    "   stm r3!, {r4, r6, r8, r10}\n"                        \
    "   le lr, .Lheld" #C "_block\n"                         \
    ".Lheld" #C "_rest:\n"                                   \
    "   and r5, r12, #3\n"                                   \
    "   wls lr, r5, .Lheld_done\n"                           \
    ".Lheld" #C "_row:\n"                                    \
    "   ldr r4, [r1], #4\n"                                  \
    R("r4")                                                  \
    "   str r4, [r3], #4\n"                                  \
    "   le lr, .Lheld" #C "_row\n"                           \
    "   b .Lheld_done\n"

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
        "   ldr r4, [sp, #36]\n"
        "   cmp r4, #64\n"
        "   beq .Lheld_c4\n"
        "   cmp r4, #32\n"
        "   beq .Lheld_c2\n"
        "   cmp r4, #48\n"
        "   beq .Lheld_c3\n"
        "   cmp r4, #16\n"
        "   bne .Lstream\n"
        "   vpush {d8-d9}\n"
        "   b .Lheld1\n"
        ".Lheld_c2:\n"
        "   vpush {d8-d9}\n"
        "   b .Lheld2\n"
        ".Lheld_c3:\n"
        "   vpush {d8-d9}\n"
        "   b .Lheld3\n"
        ".Lheld_c4:\n"
        "   vpush {d8-d9}\n"
        TINYNN_HELD(4, TINYNN_X4, TINYNN_R4)
        TINYNN_HELD(3, TINYNN_X3, TINYNN_R3)
        TINYNN_HELD(2, TINYNN_X2, TINYNN_R2)
        TINYNN_HELD(1, TINYNN_X1, TINYNN_R1)
        ".Lheld_done:\n"
        "   vpop {d8-d9}\n"
        "   pop {r4-r11, pc}\n"
        // Streaming the input.
        ".Lstream:\n"
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
