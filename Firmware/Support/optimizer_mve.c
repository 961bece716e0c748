// Optimizer.update's SGD rule for Cortex-M55 (Helium, MVE-F), four
// parameters per q-register, with element by element the IEEE operations of
// Optimizer.Step (Sources/TinyNN/Optimizer.swift) in the same order, so the
// same bits: g = fma(λ, p, scale·Σ), p = fma(−η, g, p). The core calls it
// only when compiled with -D TINYNN_MVE (board.env SWIFT_DEFINES); the
// bench app checks it against the Swift rule bit for bit.
#include "support.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>

// scale·Σ is rounded before λ·p is added, as the Swift code writes it.
#pragma clang fp contract(off)

/// p[k] = fma(−η, fma(λ, p[k], scale·Σ[k]), p[k]) for k < count & ~3;
/// returns that count (the caller does the rest).
intptr_t tinynn_sgd_mve(float *p, const float *sum, intptr_t count, float scale, float lambda,
                        float negativeEta) {
    intptr_t n = count & ~(intptr_t)3;
    for (intptr_t k = 0; k < n; k += 4) {
        float32x4_t pk = vld1q_f32(p + k);
        float32x4_t g = vfmaq_n_f32(vmulq_n_f32(vld1q_f32(sum + k), scale), pk, lambda);
        vst1q_f32(p + k, vfmaq_n_f32(pk, g, negativeEta));
    }
    return n;
}
#endif
