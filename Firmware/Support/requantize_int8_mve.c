// Int8Kernels.requantize for Cortex-M55 (Helium, MVE integer), the usual
// shift <= -2: a[j] = clamp(((hi32(z[j] * m[j]) + 2^(k-1)) >> k) + zeroPoint,
// lo, 127) with k = -1 - shift >= 1 (Requantization.multiply(_:by:half:k:)),
// four outputs a q-register: vmulh.s32 is hi32 (the high word of the exact
// product), and vrshl.s32 by -k is (x + 2^(k-1)) >> k computed without
// overflow, which is the Swift expression's value since |hi32| < 2^30 and
// 2^(k-1) <= 2^29 cannot wrap there either. The core calls it only when
// compiled with -D TINYNN_MVE_INT8 (board.env of mps3-an547); elsewhere this
// file is empty. The Swift loop (Int8Kernels.requantizePortable) stays the
// definition, and the inference-int8 app compares the two at start-up
// (RequantizeCheck.swift). Per four outputs 9 instructions in a
// tail-predicated loop, against 8 to 12 an output for Swift's scalar loop.
#include "support.h"

#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

/// z, m: [count]; a: [count]; k in 1...30; count >= 0.
void tinynn_requantize_int8_mve(const int32_t *z, const int32_t *m, int8_t *a, int32_t count, int32_t k,
                                int32_t zeroPoint, int32_t lo) {
    const int32x4_t floor = vdupq_n_s32(lo), ceiling = vdupq_n_s32(127);
    const int32_t right = -k;
    while (count > 0) {
        mve_pred16_t p = vctp32q((uint32_t)count);
        int32x4_t y = vmulhq_s32(vldrwq_z_s32(z, p), vldrwq_z_s32(m, p));
        y = vaddq_n_s32(vrshlq_n_s32(y, right), zeroPoint);
        y = vminq_s32(vmaxq_s32(y, floor), ceiling);
        vstrbq_p_s32(a, y, p);
        z += 4;
        m += 4;
        a += 4;
        count -= 4;
    }
}

#endif
