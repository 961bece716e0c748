// Kernels.denseForward for Cortex-M4F (FPv4-SP): z = W·a + b with the same
// IEEE operations in the same order as the Swift kernel
// (Sources/TinyNN/Kernels/DenseKernels.swift), so the same bits, but with
// the loads the compiler cannot form. Built into every firmware; the core
// calls it only when compiled with -D TINYNN_VFP_DENSE (board.env
// SWIFT_DEFINES), and the Swift kernel stays the reference it is checked
// against (Scripts/verify, the bench app's kernel check).
//
// Why assembly: per MAC the kernel needs one vfma and one weight load. Below
// two instructions per MAC, loads must move several floats at once, which
// vldm does only into consecutive registers; LLVM allocates s-registers
// even-first (s0, s2, ..., then s1, s3, ...) and has no hint for vldm, so
// neither Swift nor C gets one. Here the registers are fixed: per pair of
// rows, s0-s7 and s8-s15 are the 8 lane accumulators of row j and j + 1,
// s16-s23 eight inputs, s24-s31 eight weights. One block of 8 inputs is
// 3 vldm + 16 vfma for 16 MACs.
//
// The whole function is assembly (naked: no compiler prologue or glue):
//   - The block loop is unrolled four times (32 inputs per iteration, 2 loop
//     instructions per 64 MACs). When In / 8 is not a multiple of 4, each
//     pair enters it in the middle (Duff's device; every block is 76 bytes),
//     so any number of blocks runs through the same loop.
//   - After the reduction, one `ldm sp, {r2, r12, pc}` resets the input
//     pointer for the next pair, sets the tail's input pointer and jumps to
//     the continuation chosen once per call: when In % 32 == 0 (the common
//     case) straight to the bias and store, which go on to the next pair at
//     the loop's top; else to the tail (fused in increasing i), which then
//     joins them, and the next pair is entered through .Ltnn_done.
//   - The two biases are loaded with one vldmia and the two outputs stored
//     with one vstmia. The accumulators are zeroed with one vldmia of 64
//     zero bytes placed after the code. (A vmul for the first block instead
//     would give -0 where fma(w, a, +0) gives +0, when w·a is an exact -0.)
//   - An odd last row is computed as both rows of its pair, its bias copied
//     into the caller's stack-argument words (ours once read), which also
//     take the pair's two outputs; the first is then copied to z.
// Per pair of rows: 24 instructions besides the blocks and the loop's 2 per
// iteration (zeroing, ldm, 14 vadd of the reduction, bias and store 4, row
// pointers 2, pair loop 2): 180 for In = 64 (128 MACs), 102 for In = 32;
// about 26 per call.
#include "support.h"

#if defined(__arm__) && defined(__ARM_FP) && defined(__ARM_FEATURE_FMA) && !defined(__ARM_NEON)

// One block of 8 inputs for both rows: 3 vldmia + 16 vfma, 76 bytes.
#define TNN_BLOCK                                                                                  \
    "   vldmia r2!, {s16-s23}\n"                                                                   \
    "   vldmia r0!, {s24-s31}\n"                                                                   \
    "   vfma.f32 s0, s24, s16\n"                                                                   \
    "   vfma.f32 s1, s25, s17\n"                                                                   \
    "   vfma.f32 s2, s26, s18\n"                                                                   \
    "   vfma.f32 s3, s27, s19\n"                                                                   \
    "   vfma.f32 s4, s28, s20\n"                                                                   \
    "   vfma.f32 s5, s29, s21\n"                                                                   \
    "   vfma.f32 s6, s30, s22\n"                                                                   \
    "   vfma.f32 s7, s31, s23\n"                                                                   \
    "   vldmia r5!, {s24-s31}\n"                                                                   \
    "   vfma.f32 s8, s24, s16\n"                                                                   \
    "   vfma.f32 s9, s25, s17\n"                                                                   \
    "   vfma.f32 s10, s26, s18\n"                                                                  \
    "   vfma.f32 s11, s27, s19\n"                                                                  \
    "   vfma.f32 s12, s28, s20\n"                                                                  \
    "   vfma.f32 s13, s29, s21\n"                                                                  \
    "   vfma.f32 s14, s30, s22\n"                                                                  \
    "   vfma.f32 s15, s31, s23\n"

/// w: [outCount][inCount], b: [outCount], a: [inCount] → z: [outCount].
/// inCount, outCount ≥ 1; z must not alias a.
///
/// Registers: r0 row j's weights (u), r5 row j + 1's (v; u for an odd last
/// row), r1 b, r2 a, r3 z, r4 In × 4, r6 the odd row's state (0 none or
/// done, 1 pending, else where its output goes), r7 the end of the blocks'
/// inputs, r8 the end of the inputs (general path), r9 the zeros, r10 where
/// the bias and store fall through to .Ltnn_done (the end of the pairs'
/// outputs; on the general path the next pair's), r11 the end of the pairs'
/// outputs, r12 the tail's inputs, lr the loop entry.
/// Stack, from sp: a, a + In & ~7, continuation, loop entry (each pair's
/// ldm reloads the first three), then 64 bytes of d8-d15, 36 of r4-r11 and
/// lr, then the stack arguments In and Out (the odd row's scratch).
__attribute__((naked)) void tinynn_dense_forward_vfp(const float *w, const float *b, const float *a,
                                                     float *z, intptr_t inCount, intptr_t outCount) {
    __asm__ volatile(
        "   push {r4-r11, lr}\n"
        "   vpush {d8-d15}\n"
        "   ldrd r4, r6, [sp, #100]\n" // In, Out
        "   lsls r4, r4, #2\n"
        "   adr r9, .Ltnn_zeros\n"
        "   adds r7, r2, r4\n"
        "   lsls r5, r4, #25\n" // In % 32 == 0
        "   beq .Ltnn_lean\n"
        // General path: r8 = a + In, r7 = a + 8 n8 (n8 = In / 8), the loop
        // entry lr = .Ltnn_loop_end - 76 (n8 % 4) (there, cmp r2, r7 goes on
        // to block 0 when n8 % 4 == 0 < n8, to the reduction when n8 == 0),
        // and the first pair through .Ltnn_done (Z set).
        "   mov r8, r7\n"
        "   lsrs r7, r4, #5\n"
        "   and.w r12, r7, #3\n"
        "   movs r5, #76\n"
        "   adr r11, .Ltnn_loop_end + 1\n"
        "   mls lr, r12, r5, r11\n"
        "   add.w r7, r2, r7, lsl #5\n"
        "   adr r12, .Ltnn_gen + 1\n"
        "   cmp r0, r0\n"
        "   b .Ltnn_start\n"
        ".Ltnn_lean:\n"
        "   adr r12, .Ltnn_bias + 1\n"
        "   adr lr, .Ltnn_loop + 1\n"
        "   cmp r6, #1\n" // Z: no pairs
        ".Ltnn_start:\n"
        "   push {r2, r7, r12, lr}\n"
        "   vldmia r9, {s0-s15}\n"
        "   add.w r5, r0, r4\n"
        "   bic r10, r6, #1\n"
        "   add.w r10, r3, r10, lsl #2\n"
        "   mov r11, r10\n"
        "   and.w r6, r6, #1\n"
        "   beq .Ltnn_done\n"
        ".Ltnn_loop:\n" //
        TNN_BLOCK TNN_BLOCK TNN_BLOCK TNN_BLOCK
        ".Ltnn_loop_end:\n"
        "   cmp r2, r7\n"
        "   bne .Ltnn_loop\n"
        // The canonical reduction of both rows' lanes.
        "   vadd.f32 s0, s0, s4\n"
        "   vadd.f32 s2, s2, s6\n"
        "   vadd.f32 s1, s1, s5\n"
        "   vadd.f32 s3, s3, s7\n"
        "   vadd.f32 s0, s0, s2\n"
        "   vadd.f32 s1, s1, s3\n"
        "   vadd.f32 s0, s0, s1\n"
        "   vadd.f32 s8, s8, s12\n"
        "   vadd.f32 s10, s10, s14\n"
        "   vadd.f32 s9, s9, s13\n"
        "   vadd.f32 s11, s11, s15\n"
        "   vadd.f32 s8, s8, s10\n"
        "   vadd.f32 s9, s9, s11\n"
        "   vadd.f32 s8, s8, s9\n"
        "   ldm sp, {r2, r12, pc}\n" // a for the next pair, the tail's a, continuation
        // Bias, store, next pair (the general path joins here after the tail).
        ".Ltnn_bias:\n"
        "   vldmia r1!, {s16-s17}\n"
        "   vadd.f32 s16, s0, s16\n"
        "   vadd.f32 s17, s8, s17\n"
        "   vstmia r3!, {s16-s17}\n"
        "   mov r0, r5\n"
        "   add r5, r4\n"
        "   vldmia r9, {s0-s15}\n"
        "   cmp r3, r10\n"
        "   bne .Ltnn_loop\n"
        // The pairs are done (or, general path, one is); then the odd row.
        ".Ltnn_done:\n"
        "   cmp r3, r11\n" // general path: pairs to go
        "   bne .Ltnn_enter\n"
        "   cbz r6, .Ltnn_return\n"
        "   cmp r6, #1\n"
        "   bne .Ltnn_copy\n"
        "   mov r6, r3\n" // where the odd row's output goes
        "   ldr r3, [r1]\n"
        "   add r1, sp, #116\n" // the stack arguments
        "   str r3, [r1]\n"
        "   mov r3, r1\n"
        "   add.w r10, r1, #8\n"
        "   mov r11, r10\n"
        "   mov r5, r0\n"
        ".Ltnn_enter:\n"
        "   bx lr\n"
        ".Ltnn_copy:\n"
        "   ldr r3, [sp, #116]\n"
        "   str r3, [r6]\n"
        ".Ltnn_return:\n"
        "   add sp, #16\n"
        "   vpop {d8-d15}\n"
        "   pop {r4-r11, pc}\n"
        // General path, per pair after the reduction: the tail, then
        // .Ltnn_bias, which ends in .Ltnn_done.
        ".Ltnn_gen:\n"
        "   cmp r12, r8\n"
        "   beq 2f\n"
        "1: vldmia r12!, {s16}\n"
        "   vldmia r0!, {s24}\n"
        "   vldmia r5!, {s25}\n"
        "   vfma.f32 s0, s24, s16\n"
        "   vfma.f32 s8, s25, s16\n"
        "   cmp r12, r8\n"
        "   bne 1b\n"
        "2: add.w r10, r3, #8\n"
        "   b .Ltnn_bias\n"
        "   .p2align 2\n"
        ".Ltnn_zeros:\n"
        "   .space 64\n");
}

#endif
