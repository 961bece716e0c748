// The vector activations for Cortex-M55 (Helium, MVE-F): sigmoid, the
// exponentials of softmax and ReLU, four lanes per q-register, with lane by
// lane the IEEE operations of the scalar TinyMath functions
// (Sources/TinyNN/Math/Exp.swift, Sigmoid.swift) in the same order, so the
// same bits. The core calls them only when compiled with -D TINYNN_MVE
// (board.env SWIFT_DEFINES), through Kernels.sigmoid, Kernels.expShifted and
// Kernels.relu (Sources/TinyNN/Kernels/VectorMath.swift), which run the
// scalar functions for what these leave; the bench app checks them against
// the scalar functions bit for bit.
//
// The sigmoid and exp kernels take only the normal path of TinyMath.exp
// (|k| ≤ 124, the path activations take): they stop before the first group
// of four with a lane outside it (or NaN) and return how many elements they
// did, a multiple of 4; the caller does that group with the scalar function
// and calls again. Swift helped here by a C kernel: LLVM's code for Swift's
// SIMD4 kept the constants in spilled q-registers and tested the lane mask
// one lane at a time through the stack (about 90 instructions per group of
// four, against 27 per scalar sigmoid).
#include "support.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>

// Products and sums round separately where the Swift code writes them
// separately (x * log2e + shifter is two roundings).
#pragma clang fp contract(off)

// TinyMath.expParts, lane by lane: q = e^r − 1 and t, whose bits are
// 1.5·2²³'s plus k.
static inline __attribute__((always_inline)) float32x4_t exp_parts(float32x4_t x, uint32x4_t *tbits) {
    float32x4_t t = vaddq_n_f32(vmulq_n_f32(x, 0x1.715476p0f), 0x1.8p23f);
    float32x4_t kf = vsubq_n_f32(t, 0x1.8p23f);
    // r0 = fma(−kf, ln2hi, x), r = fma(−kf, −ln2lo, r0): the product's
    // negation moved onto the constant (exact).
    float32x4_t r0 = vfmaq_n_f32(x, kf, -0x1.62e430p-1f);
    float32x4_t r = vfmaq_n_f32(r0, kf, 0x1.05c610p-29f);
    float32x4_t r2 = vmulq_f32(r, r);
    float32x4_t low = vfmaq_n_f32(vdupq_n_f32(0x1p-1f), r, 0x1.5554dep-3f);
    float32x4_t high = vfmaq_n_f32(vfmaq_n_f32(vdupq_n_f32(0x1.5555bap-5f), r, 0x1.120b28p-7f), r2, 0x1.6c69f6p-10f);
    float32x4_t p = vfmaq_f32(low, high, r2);
    *tbits = vreinterpretq_u32_f32(t);
    return vfmaq_f32(r, r2, p);
}

// Whether a lane leaves TinyMath.resultIsNormal's window: t − (1.5·2²³ −
// 124)'s bits, unsigned, above 248.
static inline __attribute__((always_inline)) mve_pred16_t outside_normal(uint32x4_t tbits) {
    return vcmphiq_n_u32(vsubq_n_u32(tbits, 0x4b400000u - 124u), 248u);
}

// TinyMath.normal: fma(2ᵏ, q, 2ᵏ), 2ᵏ's bits 0x3f800000 + (t << 23).
static inline __attribute__((always_inline)) float32x4_t normal(float32x4_t q, uint32x4_t tbits) {
    float32x4_t p2k = vreinterpretq_f32_u32(vaddq_n_u32(vshlq_n_u32(tbits, 23), 0x3f800000u));
    return vfmaq_f32(p2k, p2k, q);
}

/// a[j] = TinyMath.sigmoid(z[j]) = 1/(1 + e^−z) for j < the returned count:
/// whole groups of four while every lane is on exp's normal path.
intptr_t tinynn_sigmoid_mve(const float *z, float *a, intptr_t count) {
    intptr_t j = 0;
    for (; j + 4 <= count; j += 4) {
        uint32x4_t t;
        float32x4_t q = exp_parts(vnegq_f32(vld1q_f32(z + j)), &t);
        if (outside_normal(t)) break;
        float32x4_t d = vaddq_n_f32(normal(q, t), 1.0f);
        a[j] = 1.0f / d[0];
        a[j + 1] = 1.0f / d[1];
        a[j + 2] = 1.0f / d[2];
        a[j + 3] = 1.0f / d[3];
    }
    return j;
}

/// a[j] = TinyMath.exp(z[j] − m) for j < the returned count (softmax's
/// exponentials): whole groups of four while every lane is on the normal path.
intptr_t tinynn_exp_shifted_mve(const float *z, float m, float *a, intptr_t count) {
    intptr_t j = 0;
    for (; j + 4 <= count; j += 4) {
        uint32x4_t t;
        float32x4_t q = exp_parts(vsubq_n_f32(vld1q_f32(z + j), m), &t);
        if (outside_normal(t)) break;
        vst1q_f32(a + j, normal(q, t));
    }
    return j;
}

/// a[j] = z[j] > 0 ? z[j] : +0 for every j < count (NaN gives +0, as the
/// scalar comparison), in a tail-predicated loop. z > 0 is tested on the
/// bits as integers, 0 < bits ≤ 0x7f800000 (+∞): under QEMU 7.2 the float
/// compare vcmp.f32 gt, q, zr is false for a positive subnormal (the vector
/// float operations flush subnormals there; the bench app's check found it).
/// In assembly: clang turns a float compare and select into vmaxnm.f32,
/// which gives NaN, not +0, for a signalling NaN.
__attribute__((naked)) void tinynn_relu_mve(const float *z, float *a, intptr_t count) {
    __asm__ volatile(
        "   push {r7, lr}\n"
        "   cmp r2, #1\n"
        "   blt 2f\n"
        "   mov.w r3, #0x7f800000\n"
        "   vmov.i32 q1, #0\n"
        "   dlstp.32 lr, r2\n"
        "1: vldrw.u32 q0, [r0], #16\n"
        "   vpt.s32 gt, q0, zr\n"
        "   vcmpt.s32 le, q0, r3\n"
        "   vpsel q0, q0, q1\n"
        "   vstrw.32 q0, [r1], #16\n"
        "   letp lr, 1b\n"
        "2: pop {r7, pc}\n");
}
#endif
