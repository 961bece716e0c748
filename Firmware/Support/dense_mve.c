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
// (lanes 0-3) and hi (4-7), so one vfma.f32 q does four of its MACs.
//
// Two phases per chunk of up to 32 rows:
//
// A. Rows two at a time: q0/q1 and q2/q3 the lo/hi accumulators of rows j
//    and j + 1, q4/q5 eight inputs, q6/q7 eight weights. vldmia loads eight
//    floats (two q-registers) in one instruction, so a block of 8 inputs is
//    3 loads and 4 vfma for 16 MACs (0.44 instructions per MAC). The first
//    block starts the accumulators with vfmas (q = q·a + 0, the weights
//    loaded into the accumulator itself): fma(w, a, +0) rounded once, the
//    same bits as an fma into a zeroed register (-0 products included),
//    without the zeroing. Blocks go two per low-overhead loop iteration
//    (wls/le), an odd one after. Each row's lo + hi, (s0+s4, s1+s5, s2+s6,
//    s3+s7), goes to a scratch table on the stack, four floats per row.
//    An odd row count starts with a tile whose second row repeats the first,
//    its two sums stored one slot early so that the copy lands in the
//    first row's slot.
// B. Rows four at a time: vld40-vld43 read four rows' sums transposed
//    (q0 = the four rows' s0+s4, q1 s1+s5, …), so the rest of the reduction,
//    (q0 + q2) + (q1 + q3), the tail (vfma of a gather of the four rows'
//    weights by the input in a core register) and the bias are vector
//    operations for four rows at once. The last group of a layer whose row
//    count is not a multiple of 4 is predicated (vctp).
#include "support.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)

// One block of 8 inputs for rows j (r0) and j + 1 (r5).
#define TNN_BLOCK                                                                                   \
    "   vldmia r4!, {d8-d11}\n"                                                                    \
    "   vldmia r0!, {d12-d15}\n"                                                                   \
    "   vfma.f32 q0, q6, q4\n"                                                                     \
    "   vfma.f32 q1, q7, q5\n"                                                                     \
    "   vldmia r5!, {d12-d15}\n"                                                                   \
    "   vfma.f32 q2, q6, q4\n"                                                                     \
    "   vfma.f32 q3, q7, q5\n"

// The reduction of four rows' sums from the scratch table (r6), their tail
// (when In % 8 ≠ 0: r5 the first row's tail weights, q5 the row offsets)
// and bias; PRED: the bias load and store and the weight gathers only for
// the lanes vctp enabled (a last group of fewer than four rows).
#define TNN_GROUP(VPST, T, VPSTTT, BIAS_LOAD, STORE)                                                \
    "   vld40.32 {q0, q1, q2, q3}, [r6]\n"                                                         \
    "   vld41.32 {q0, q1, q2, q3}, [r6]\n"                                                         \
    "   vld42.32 {q0, q1, q2, q3}, [r6]\n"                                                         \
    "   vld43.32 {q0, q1, q2, q3}, [r6]!\n"                                                        \
    "   vadd.f32 q0, q0, q2\n"                                                                     \
    "   vadd.f32 q1, q1, q3\n"                                                                     \
    "   vadd.f32 q0, q0, q1\n"                                                                     \
    "   cbz r7, 1f\n"                                                                              \
    "   add.w r4, r2, r9\n"                                                                        \
    "   sub.w r4, r4, r7\n"                                                                        \
    "   lsrs r8, r7, #2\n"                                                                         \
    "2: ldr r12, [r4], #4\n"                                                                       \
    VPST                                                                                           \
    "   vldrw" T ".u32 q4, [r5, q5]\n"                                                    \
    "   vfma.f32 q0, q4, r12\n"                                                                    \
    "   adds r5, #4\n"                                                                             \
    "   subs r8, #1\n"                                                                             \
    "   bne 2b\n"                                                                                  \
    "   movs r12, #0\n"                                                                            \
    "   sub.w r5, r5, r7\n"                                                                        \
    "   add.w r5, r5, r9, lsl #2\n"                                                                \
    "1:\n"                                                                                         \
    VPSTTT                                                                                         \
    BIAS_LOAD                                                                                      \
    "   vadd" T ".f32 q0, q0, q4\n"                                                                \
    STORE

// A group of four rows when In % 8 = 0 (no tail), unpredicated.
#define TNN_GROUP_NOTAIL                                                                            \
    "   vld40.32 {q0, q1, q2, q3}, [r6]\n"                                                         \
    "   vld41.32 {q0, q1, q2, q3}, [r6]\n"                                                         \
    "   vld42.32 {q0, q1, q2, q3}, [r6]\n"                                                         \
    "   vld43.32 {q0, q1, q2, q3}, [r6]!\n"                                                        \
    "   vadd.f32 q0, q0, q2\n"                                                                     \
    "   vadd.f32 q1, q1, q3\n"                                                                     \
    "   vadd.f32 q0, q0, q1\n"                                                                     \
    "   vldrw.u32 q4, [r1], #16\n"                                                                 \
    "   vadd.f32 q0, q0, q4\n"                                                                     \
    "   vstrw.32 q0, [r3], #16\n"

/// w: [outCount][inCount], b: [outCount], a: [inCount] → z: [outCount].
/// inCount, outCount ≥ 1; z must not alias a.
///
/// Registers: r0 row j's weights, r5 row j + 1's (phase A) or the tail's
/// gather base (phase B), r1 b, r2 a, r3 z, r4 the inputs, r6 the scratch
/// table, r7 (In % 8) × 4, r8 the tiles or groups, r9 In × 4, r10 the rows
/// left, r11 In / 8 − 1, r12 +0.0f, lr the loop counter. Stack: the
/// scratch table (sp + 16, one slot below it for the odd tile), the gather
/// offsets (0, In, 2In, 3In) at sp + 528.
__attribute__((naked)) void tinynn_dense_forward_mve(const float *w, const float *b, const float *a,
                                                     float *z, intptr_t inCount, intptr_t outCount) {
    __asm__ volatile(
        "   push {r4-r11, lr}\n"
        "   vpush {d8-d15}\n"
        "   ldrd r9, r10, [sp, #100]\n" // In, Out
        "   sub sp, #544\n"
        "   and r7, r9, #7\n"
        "   lsl.w r7, r7, #2\n"
        "   lsr.w r11, r9, #3\n"
        "   lsl.w r9, r9, #2\n"
        "   mov.w r12, #0\n"
        "   subs r11, #1\n"
        "   bpl 1f\n"
        // In < 8: every lane sum is +0, as after zeroing: a zero table.
        "   vmov.i32 q0, #0\n"
        "   vmov.i32 q1, #0\n"
        "   vmov.i32 q2, #0\n"
        "   vmov.i32 q3, #0\n"
        "   add r6, sp, #16\n"
        "   movs r4, #8\n"
        "2: vstmia r6!, {d0-d7}\n"
        "   subs r4, #1\n"
        "   bne 2b\n"
        "1: cbz r7, .Ltnm_chunk\n"
        // The tail's gather offsets (0, In, 2In, 3In), in floats.
        "   movs r4, #0\n"
        "   mov r5, r9\n"
        "   lsl.w r6, r9, #1\n"
        "   add.w r8, r6, r9\n"
        "   add.w r12, sp, #528\n"
        "   stm r12, {r4, r5, r6, r8}\n"
        "   mov.w r12, #0\n"
        // A chunk of C = min(32, rows left) rows.
        ".Ltnm_chunk:\n"
        "   cmp r10, #32\n"
        "   ite ge\n"
        "   movge r8, #32\n"
        "   movlt r8, r10\n"
        "   cmp r11, #0\n"
        "   blt .Ltnm_noblocks\n"
        // Phase A: tiles of two rows.
        "   add r6, sp, #16\n"
        "   lsrs r8, r8, #1\n"
        "   bcc .Ltnm_tile\n"
        "   adds r8, #1\n"
        "   sub.w r6, r6, #16\n"
        "   mov r5, r0\n"
        "   b .Ltnm_tile_body\n"
        ".Ltnm_tile:\n"
        "   add.w r5, r0, r9\n"
        ".Ltnm_tile_body:\n"
        "   mov r4, r2\n"
        "   vldmia r4!, {d8-d11}\n"
        "   vldmia r0!, {d0-d3}\n"
        "   vldmia r5!, {d4-d7}\n"
        "   vfmas.f32 q0, q4, r12\n"
        "   vfmas.f32 q1, q5, r12\n"
        "   vfmas.f32 q2, q4, r12\n"
        "   vfmas.f32 q3, q5, r12\n"
        "   lsrs lr, r11, #1\n" // block pairs; carry: one more block
        "   wls lr, lr, .Ltnm_pairs_done\n"
        ".Ltnm_pair:\n"
        TNN_BLOCK
        TNN_BLOCK
        "   le lr, .Ltnm_pair\n"
        ".Ltnm_pairs_done:\n"
        "   bcc .Ltnm_blocks_done\n"
        TNN_BLOCK
        ".Ltnm_blocks_done:\n"
        "   vadd.f32 q0, q0, q1\n"
        "   vadd.f32 q1, q2, q3\n"
        "   vstmia r6!, {d0-d3}\n"
        "   add.w r0, r5, r7\n" // row j + 2 (the row after j when j + 1 repeated j)
        "   subs r8, #1\n"
        "   bne .Ltnm_tile\n"
        "   b .Ltnm_phase_b\n"
        ".Ltnm_noblocks:\n"
        "   mla r0, r8, r9, r0\n"
        // Phase B: groups of four rows.
        ".Ltnm_phase_b:\n"
        "   cmp r10, #32\n"
        "   ite ge\n"
        "   movge r8, #32\n"
        "   movlt r8, r10\n"
        "   sub.w r10, r10, r8\n"
        "   add r6, sp, #16\n"
        "   cbz r7, 3f\n"
        "   mls r5, r8, r9, r0\n" // the chunk's first row …
        "   add.w r5, r5, r9\n"
        "   sub.w r5, r5, r7\n" // … at its tail
        "   add r4, sp, #528\n"
        "   vldrw.u32 q5, [r4]\n"
        "   lsrs r8, r8, #2\n"
        "   wls lr, r8, 4f\n"
        "5:\n"
        TNN_GROUP("", "", "", "   vldrw.u32 q4, [r1], #16\n", "   vstrw.32 q0, [r3], #16\n")
        "   le lr, 5b\n"
        "   b 4f\n"
        "3: lsrs r8, r8, #2\n"
        "   wls lr, r8, 4f\n"
        "5:\n"
        TNN_GROUP_NOTAIL
        "   le lr, 5b\n"
        "4: cmp r10, #0\n"
        "   bne .Ltnm_chunk\n"
        "   ldr r8, [sp, #648]\n" // Out
        "   ands r8, r8, #3\n"
        "   beq 6f\n"
        "   vctp.32 r8\n"
        TNN_GROUP("   vpst\n", "t", "   vpsttt\n", "   vldrwt.u32 q4, [r1]\n", "   vstrwt.32 q0, [r3]\n")
        "6: add sp, #544\n"
        "   vpop {d8-d15}\n"
        "   pop {r4-r11, pc}\n");
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

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
/// The lane that `vmov q0[2], q0[0], r1, r0` (r1 = 2, r0 = 0) writes r1 to,
/// read back from lane 0: LLVM encodes r1 as the instruction's Rt, its
/// syntax's lane 2, so lane 0 reads 0; QEMU 7.2 writes Rt to lane 0 (2).
/// The bench app prints it (README: the disagreement, not settled).
__attribute__((naked)) uint32_t tinynn_mve_vmov_2gp_probe(void) {
    __asm__ volatile(
        "   movs r0, #0\n"
        "   movs r1, #2\n"
        "   vmov q0[2], q0[0], r1, r0\n"
        "   vmov r0, s0\n"
        "   bx lr\n");
}
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>
/// Kernels.transposedProduct (BP2's e = Wᵀδ) for Cortex-M55: e[i] = Σⱼ
/// w[j][i]·δ[j] from +0 in increasing j, fused, four columns i at a time
/// (each column's sum on its own, so any grouping gives the Swift kernel's
/// bits), the last group of columns predicated.
/// w: [outCount][inCount], delta: [outCount] → e: [inCount]; e must not
/// alias w or delta.
void tinynn_transposed_product_mve(const float *w, const float *delta, float *e, intptr_t inCount,
                                   intptr_t outCount) {
    for (intptr_t i = 0; i < inCount; i += 4) {
        mve_pred16_t lanes = vctp32q((uint32_t)(inCount - i));
        float32x4_t s = vdupq_n_f32(0.0f);
        const float *row = w + i;
        for (intptr_t j = 0; j < outCount; j++, row += inCount) s = vfmaq_n_f32(s, vld1q_z_f32(row, lanes), delta[j]);
        vst1q_p_f32(e + i, s, lanes);
    }
}
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
/// The bits of lane 0 of the vector sum 2⁻¹⁴⁹ + 2⁻¹⁴⁹ (the smallest
/// subnormal twice, bits 1 + 1): 2 (2⁻¹⁴⁸) in IEEE arithmetic with
/// FPSCR.FZ = 0, as the reset handler leaves it and the scalar FPU computes;
/// 0 where the vector unit flushes subnormals to zero, as QEMU 7.2's MVE
/// does. The bench app prints it (README: why the kernels' checks keep
/// subnormals out of the vector arithmetic).
__attribute__((naked)) uint32_t tinynn_mve_subnormal_probe(void) {
    __asm__ volatile(
        "   movs r0, #1\n"
        "   vdup.32 q0, r0\n"
        "   vadd.f32 q0, q0, q0\n"
        "   vmov r0, s0\n"
        "   bx lr\n");
}
#endif
