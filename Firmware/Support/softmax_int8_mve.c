// Int8Softmax.probabilities for Cortex-M55 (Helium, MVE integer), four
// logits a q-register, each step the Swift expression of
// Int8Softmax.probabilitiesPortable, the definition:
//   m = max q_j                         (vmaxv.s8, sixteen logits an instruction)
//   t = (m - q_j)·β                     Q20, < 2^31 since m - q_j <= 255, β <= 2^23
//   k = min(t >> 20, 17), h = (t >> 16) & 15, g = (t & 0xFFFF) >> 5
//   x = g·22713 >> 15, x2 = x·x >> 15, x3 = x2·x >> 15
//   P = 32768 - x + (x2 >> 1) - (x3·5461 >> 15)
//   E_j = (T[h]·P) >> (14 + k)          T gathered (vldrw with shifted offsets),
//                                       vshl by -(14 + k); k = 17 shifts T·P <= 2^30
//                                       to 0, Swift's k >= 17 case
//   R = (2^32 - 1) / ΣE                 one udiv
//   p_j = min((E_j·R + 2^23) >> 24, 255) - 128
// The last line is Swift's ⌊(⌊E·R/2²³⌋ + 1)/2⌋ (the two agree for every
// 32-bit E·R: the bits below 2^23 cannot carry past the rounding bit), and
// vrshr.u32 rounds without overflow where E·R is near 2^32 (one dominant
// logit). The core calls it only when compiled with -D TINYNN_MVE_INT8
// (board.env of mps3-an547); elsewhere this file is empty. The inference-int8
// app compares it with the Swift loop at start-up (SoftmaxCheck.swift).
#include "support.h"

#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

/// round(2^(-h/16)·2^15), h = 0...15: Int8Softmax.exp2Table.
static const int32_t tinynn_exp2_q15[16] = {
    32768, 31379, 30048, 28774, 27554, 26386, 25268, 24196,
    23170, 22188, 21247, 20347, 19484, 18658, 17867, 17109,
};

/// q: [count], count in 1...32768; beta in 1...2^23; p: [count]; e: [count] scratch.
void tinynn_softmax_int8_mve(const int8_t *q, int32_t count, int32_t beta, int8_t *p, int32_t *e) {
    int8_t m = -128;
    for (int32_t j = 0; j < count; j += 16) {
        mve_pred16_t lanes = vctp8q((uint32_t)(count - j));
        m = vmaxvq_p_s8(m, vldrbq_z_s8(q + j, lanes), lanes);
    }
    const int32x4_t top = vdupq_n_s32(m);
    uint32_t sum = 0;
    for (int32_t j = 0; j < count; j += 4) {
        mve_pred16_t lanes = vctp32q((uint32_t)(count - j));
        int32x4_t t = vmulq_n_s32(vsubq_s32(top, vldrbq_z_s32(q + j, lanes)), beta);
        int32x4_t k = vminq_s32(vshrq_n_s32(t, 20), vdupq_n_s32(17));
        uint32x4_t h = vreinterpretq_u32_s32(vandq_s32(vshrq_n_s32(t, 16), vdupq_n_s32(15)));
        int32x4_t g = vshrq_n_s32(vandq_s32(t, vdupq_n_s32(0xFFFF)), 5);
        int32x4_t x = vshrq_n_s32(vmulq_n_s32(g, 22713), 15);
        int32x4_t x2 = vshrq_n_s32(vmulq_s32(x, x), 15);
        int32x4_t x3 = vshrq_n_s32(vmulq_s32(x2, x), 15);
        int32x4_t poly = vsubq_s32(vaddq_s32(vsubq_s32(vdupq_n_s32(32768), x), vshrq_n_s32(x2, 1)),
                                   vshrq_n_s32(vmulq_n_s32(x3, 5461), 15));
        int32x4_t T = vldrwq_gather_shifted_offset_s32(tinynn_exp2_q15, h);
        int32x4_t E = vshlq_s32(vmulq_s32(T, poly), vsubq_s32(vdupq_n_s32(-14), k));
        vstrwq_p_s32(e + j, E, lanes);
        sum = vaddvaq_p_u32(sum, vreinterpretq_u32_s32(E), lanes);
    }
    const uint32_t r = UINT32_MAX / sum;
    for (int32_t j = 0; j < count; j += 4) {
        mve_pred16_t lanes = vctp32q((uint32_t)(count - j));
        uint32x4_t y = vrshrq_n_u32(vmulq_n_u32(vldrwq_z_u32((const uint32_t *)e + j, lanes), r), 24);
        int32x4_t out = vsubq_s32(vreinterpretq_s32_u32(vminq_u32(y, vdupq_n_u32(255))), vdupq_n_s32(128));
        vstrbq_p_s32(p + j, out, lanes);
    }
}

#endif
