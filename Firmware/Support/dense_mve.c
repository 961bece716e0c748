// Kernels.denseForward for Cortex-M55 (Helium, MVE-F): z = W·a + b with the
// same IEEE operations in the same order as the Swift kernel
// (Sources/TinyNN/Kernels/DenseKernels.swift), so the same bits. Built into
// every firmware whose CPU has MVE-F; the core calls it only when compiled
// with -D TINYNN_MVE (board.env SWIFT_DEFINES), and the Swift kernel
// stays the reference it is checked against (Scripts/verify, the bench app's
// kernel check).
//
// The canonical order (Kernels.dot): each row has eight lane accumulators,
// lane l taking the terms i ≡ l (mod 8) of the leading 8·⌊In/8⌋ inputs in
// increasing i, fused; they are reduced as ((s0+s4)+(s2+s6)) +
// ((s1+s5)+(s3+s7)); the tail i ≥ 8·⌊In/8⌋ is then added in increasing i,
// fused; then the bias. Here a row's eight lanes are two q-registers, lo
// (lanes 0-3) and hi (4-7), so one vfma.f32 q does four of its MACs, and the
// reduction is one vector add lo + hi = (s0+s4, s1+s5, s2+s6, s3+s7) and
// three scalar adds.
//
// Why assembly: clang, from the same tile in ACLE intrinsics (arm_mve.h),
// spills half the accumulators to the stack in the inner loop, and Swift's
// SIMD tile did no better (about 1.1 instructions per MAC).
//
// The tile: three rows at a time. q0/q1, q2/q3, q4/q5 are the lo/hi
// accumulators of rows j, j + 1, j + 2; q6 holds four inputs, q7 four
// weights: all 8 of MVE's q-registers. Per block of 8 inputs: 2 input
// loads, 6 weight loads and 6 vfma for 24 MACs (0.58 instructions per MAC
// before the per-row reduction and store). The first block starts the
// accumulators with vfmas (q = q·a + 0, the weights loaded into the
// accumulator itself): fma(w, a, +0) rounded once, the same bits as an fma
// into a zeroed register (-0 products included), without the zeroing. The
// block loop and the tail are low-overhead loops (wls/le). One or two rows
// left over at the end are computed as a tile whose missing rows repeat the
// last one, and stored once.
#include "support.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)

// Four inputs (q6), then for each row the weights (q7) and one vfma.
#define TNN_HALF(ACC0, ACC1, ACC2)                                                                  \
    "   vldrw.u32 q6, [r4], #16\n"                                                                 \
    "   vldrw.u32 q7, [r0], #16\n"                                                                 \
    "   vfma.f32 " ACC0 ", q7, q6\n"                                                               \
    "   vldrw.u32 q7, [r5], #16\n"                                                                 \
    "   vfma.f32 " ACC1 ", q7, q6\n"                                                               \
    "   vldrw.u32 q7, [r6], #16\n"                                                                 \
    "   vfma.f32 " ACC2 ", q7, q6\n"

// The first block: the weights straight into the accumulators, q = q·a + 0.
#define TNN_FIRST_HALF(ACC0, ACC1, ACC2)                                                            \
    "   vldrw.u32 q6, [r4], #16\n"                                                                 \
    "   vldrw.u32 " ACC0 ", [r0], #16\n"                                                           \
    "   vfmas.f32 " ACC0 ", q6, r12\n"                                                             \
    "   vldrw.u32 " ACC1 ", [r5], #16\n"                                                           \
    "   vfmas.f32 " ACC1 ", q6, r12\n"                                                             \
    "   vldrw.u32 " ACC2 ", [r6], #16\n"                                                           \
    "   vfmas.f32 " ACC2 ", q6, r12\n"

/// w: [outCount][inCount], b: [outCount], a: [inCount] → z: [outCount].
/// inCount, outCount ≥ 1; z must not alias a.
///
/// Registers: r0, r5, r6 the weights of rows j, j + 1, j + 2 (a missing row
/// repeats the one before), r1 b, r2 a, r3 z, r4 the inputs, r7 In × 4,
/// r8 the blocks (In / 8), r9 the tail (In % 8), r10 the rows left,
/// r11 the blocks after the first, r12 +0.0f, lr the loop counter.
__attribute__((naked)) void tinynn_dense_forward_mve(const float *w, const float *b, const float *a,
                                                     float *z, intptr_t inCount, intptr_t outCount) {
    __asm__ volatile(
        "   push {r4-r11, lr}\n"
        "   vpush {d8-d15}\n"
        "   ldrd r7, r10, [sp, #100]\n" // In, Out
        "   and r9, r7, #7\n"
        "   lsrs r8, r7, #3\n"
        "   sub.w r11, r8, #1\n"
        "   lsls r7, r7, #2\n"
        "   mov.w r12, #0\n"
        ".Ltnm_group:\n"
        "   cmp r10, #3\n"
        "   blt .Ltnm_short\n"
        "   add.w r5, r0, r7\n"
        "   add.w r6, r5, r7\n"
        ".Ltnm_rows:\n"
        "   mov r4, r2\n"
        "   cmp r8, #0\n"
        "   beq .Ltnm_noblocks\n"
        TNN_FIRST_HALF("q0", "q2", "q4")
        TNN_FIRST_HALF("q1", "q3", "q5")
        "   wls lr, r11, .Ltnm_reduce\n"
        ".Ltnm_block:\n"
        TNN_HALF("q0", "q2", "q4")
        TNN_HALF("q1", "q3", "q5")
        "   le lr, .Ltnm_block\n"
        ".Ltnm_reduce:\n"
        // lo + hi, then ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)) per row.
        "   vadd.f32 q0, q0, q1\n"
        "   vadd.f32 q2, q2, q3\n"
        "   vadd.f32 q4, q4, q5\n"
        "   vadd.f32 s0, s0, s2\n"
        "   vadd.f32 s1, s1, s3\n"
        "   vadd.f32 s0, s0, s1\n"
        "   vadd.f32 s8, s8, s10\n"
        "   vadd.f32 s9, s9, s11\n"
        "   vadd.f32 s8, s8, s9\n"
        "   vadd.f32 s16, s16, s18\n"
        "   vadd.f32 s17, s17, s19\n"
        "   vadd.f32 s16, s16, s17\n"
        // The tail in increasing i, fused.
        "   wls lr, r9, .Ltnm_bias\n"
        ".Ltnm_tail:\n"
        "   vldmia r4!, {s24}\n"
        "   vldmia r0!, {s28}\n"
        "   vfma.f32 s0, s28, s24\n"
        "   vldmia r5!, {s28}\n"
        "   vfma.f32 s8, s28, s24\n"
        "   vldmia r6!, {s28}\n"
        "   vfma.f32 s16, s28, s24\n"
        "   le lr, .Ltnm_tail\n"
        ".Ltnm_bias:\n"
        "   cmp r10, #3\n"
        "   blt .Ltnm_last\n"
        "   vldmia r1!, {s24-s26}\n"
        "   vadd.f32 s24, s0, s24\n"
        "   vadd.f32 s25, s8, s25\n"
        "   vadd.f32 s26, s16, s26\n"
        "   vstmia r3!, {s24-s26}\n"
        "   mov r0, r6\n" // row j + 3 starts where row j + 2 ended
        "   subs r10, #3\n"
        "   bne .Ltnm_group\n"
        ".Ltnm_return:\n"
        "   vpop {d8-d15}\n"
        "   pop {r4-r11, pc}\n"
        // One or two rows left: store those.
        ".Ltnm_last:\n"
        "   vldr s24, [r1]\n"
        "   vadd.f32 s24, s0, s24\n"
        "   vstr s24, [r3]\n"
        "   cmp r10, #2\n"
        "   bne .Ltnm_return\n"
        "   vldr s25, [r1, #4]\n"
        "   vadd.f32 s25, s8, s25\n"
        "   vstr s25, [r3, #4]\n"
        "   b .Ltnm_return\n"
        // The last tile of one or two rows: the missing rows repeat the last.
        ".Ltnm_short:\n"
        "   mov r5, r0\n"
        "   cmp r10, #1\n"
        "   it gt\n"
        "   addgt r5, r0, r7\n"
        "   mov r6, r5\n"
        "   b .Ltnm_rows\n"
        // In < 8: the lanes are +0, as after zeroing; reduce them (+0).
        ".Ltnm_noblocks:\n"
        "   vmov.i32 q0, #0\n"
        "   vmov.i32 q1, #0\n"
        "   vmov.i32 q2, #0\n"
        "   vmov.i32 q3, #0\n"
        "   vmov.i32 q4, #0\n"
        "   vmov.i32 q5, #0\n"
        "   b .Ltnm_reduce\n");
}

#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
/// Kernels.accumulateGradients (BP3 and BP4 of one sample) for Cortex-M55:
/// gb[j] = gb[j] + δ[j] and gw[j][i] = fma(δ[j], a[i], gw[j][i]), each
/// element on its own (so any grouping gives the Swift kernel's bits).
/// delta: [outCount], a: [inCount] → gw: [outCount][inCount], gb: [outCount];
/// inCount, outCount ≥ 1.
///
/// Tail-predicated loops (dlstp.32/letp) over the inputs, four at a time, the
/// last quad with only its valid lanes; rows four at a time, so that one
/// load of four inputs (q0) serves 16 MACs: per quad 1 + 4 × (load, vfma by
/// the row's δ in a core register, store) = 13 instructions. Rows left over
/// go one at a time. Only q0-q3 are used (q4-q7 are callee-saved).
///
/// Registers: r0 δ, r1 a, r2 row j's gradients, r6-r8 rows j + 1 to j + 3,
/// r3 the inputs, r4 In, r5 the rows left, r9-r12 δ[j] to δ[j + 3].
__attribute__((naked)) void tinynn_accumulate_gradients_mve(const float *delta, const float *a, float *gw,
                                                             float *gb, intptr_t inCount, intptr_t outCount) {
    __asm__ volatile(
        "   push {r4-r11, lr}\n"
        "   ldrd r4, r5, [sp, #36]\n" // In, Out
        // BP3: gb += δ.
        "   mov r6, r0\n"
        "   dlstp.32 lr, r5\n"
        "1: vldrw.u32 q0, [r3]\n"
        "   vldrw.u32 q1, [r6], #16\n"
        "   vadd.f32 q0, q0, q1\n"
        "   vstrw.32 q0, [r3], #16\n"
        "   letp lr, 1b\n"
        // BP4, four rows at a time.
        "   subs r5, #4\n"
        "   blt 4f\n"
        "2: ldm r0!, {r9-r12}\n"
        "   add.w r6, r2, r4, lsl #2\n"
        "   add.w r7, r6, r4, lsl #2\n"
        "   add.w r8, r7, r4, lsl #2\n"
        "   add.w r3, r8, r4, lsl #2\n"
        "   push {r3}\n" // row j + 4
        "   mov r3, r1\n"
        "   dlstp.32 lr, r4\n"
        "3: vldrw.u32 q0, [r3], #16\n"
        "   vldrw.u32 q1, [r2]\n"
        "   vfma.f32 q1, q0, r9\n"
        "   vstrw.32 q1, [r2], #16\n"
        "   vldrw.u32 q2, [r6]\n"
        "   vfma.f32 q2, q0, r10\n"
        "   vstrw.32 q2, [r6], #16\n"
        "   vldrw.u32 q3, [r7]\n"
        "   vfma.f32 q3, q0, r11\n"
        "   vstrw.32 q3, [r7], #16\n"
        "   vldrw.u32 q1, [r8]\n"
        "   vfma.f32 q1, q0, r12\n"
        "   vstrw.32 q1, [r8], #16\n"
        "   letp lr, 3b\n"
        "   pop {r2}\n"
        "   subs r5, #4\n"
        "   bge 2b\n"
        // The rows left (0 to 3), one at a time.
        "4: adds r5, #4\n"
        "   beq 7f\n"
        "5: ldr r9, [r0], #4\n"
        "   add.w r6, r2, r4, lsl #2\n"
        "   mov r3, r1\n"
        "   dlstp.32 lr, r4\n"
        "6: vldrw.u32 q0, [r3], #16\n"
        "   vldrw.u32 q1, [r2]\n"
        "   vfma.f32 q1, q0, r9\n"
        "   vstrw.32 q1, [r2], #16\n"
        "   letp lr, 6b\n"
        "   mov r2, r6\n"
        "   subs r5, #1\n"
        "   bne 5b\n"
        "7: pop {r4-r11, pc}\n");
}
#endif
