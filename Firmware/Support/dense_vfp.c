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
// 3 vldm + 16 vfma + 2 loop instructions for 16 MACs.
#include "support.h"

#if defined(__arm__) && defined(__ARM_FP) && defined(__ARM_FEATURE_FMA) && !defined(__ARM_NEON)

const float tinynn_dense_zeros[16];

/// z0 = dot(u, a) + *b0 and z1 = dot(v, a) + *b1 over In = (end - a)
/// inputs, n8 = In rounded down to 8: the lanes over the blocks of 8,
/// reduced in the canonical order ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)),
/// then the tail fused in increasing i, then the bias. v may equal u.
/// Returns u advanced by In.
static inline const float *two_rows(const float *u, const float *v, const float *a, const float *end8,
                                    const float *end, const float *b0, const float *b1, float *z0,
                                    float *z1) {
    __asm__ volatile(
        "   vldmia %[zeros], {s0-s15}\n"
        "   cmp %[a], %[end8]\n"
        "   beq 2f\n"
        "1: vldmia %[a]!, {s16-s23}\n"
        "   vldmia %[u]!, {s24-s31}\n"
        "   vfma.f32 s0, s24, s16\n"
        "   vfma.f32 s1, s25, s17\n"
        "   vfma.f32 s2, s26, s18\n"
        "   vfma.f32 s3, s27, s19\n"
        "   vfma.f32 s4, s28, s20\n"
        "   vfma.f32 s5, s29, s21\n"
        "   vfma.f32 s6, s30, s22\n"
        "   vfma.f32 s7, s31, s23\n"
        "   vldmia %[v]!, {s24-s31}\n"
        "   vfma.f32 s8, s24, s16\n"
        "   vfma.f32 s9, s25, s17\n"
        "   vfma.f32 s10, s26, s18\n"
        "   vfma.f32 s11, s27, s19\n"
        "   vfma.f32 s12, s28, s20\n"
        "   vfma.f32 s13, s29, s21\n"
        "   vfma.f32 s14, s30, s22\n"
        "   vfma.f32 s15, s31, s23\n"
        "   cmp %[a], %[end8]\n"
        "   bne 1b\n"
        "2: vadd.f32 s0, s0, s4\n"
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
        "   b 4f\n"
        "3: vldmia %[a]!, {s16}\n"
        "   vldmia %[u]!, {s24}\n"
        "   vldmia %[v]!, {s25}\n"
        "   vfma.f32 s0, s24, s16\n"
        "   vfma.f32 s8, s25, s16\n"
        "4: cmp %[a], %[end]\n"
        "   bne 3b\n"
        "   vldr s16, [%[b0]]\n"
        "   vldr s17, [%[b1]]\n"
        "   vadd.f32 s0, s0, s16\n"
        "   vadd.f32 s8, s8, s17\n"
        "   vstr s0, [%[z0]]\n"
        "   vstr s8, [%[z1]]\n"
        : [a] "+r"(a), [u] "+r"(u), [v] "+r"(v)
        : [end8] "r"(end8), [end] "r"(end), [zeros] "r"(tinynn_dense_zeros), [b0] "r"(b0), [b1] "r"(b1),
          [z0] "r"(z0), [z1] "r"(z1)
        : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13",
          "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25", "s26",
          "s27", "s28", "s29", "s30", "s31", "cc", "memory");
    return u;
}

/// w: [outCount][inCount], b: [outCount], a: [inCount] → z: [outCount].
/// inCount, outCount ≥ 1; z must not alias a.
void tinynn_dense_forward_vfp(const float *w, const float *b, const float *a, float *z,
                              intptr_t inCount, intptr_t outCount) {
    const float *end8 = a + (inCount & ~7), *end = a + inCount;
    const float *u = w;
    float spare;
    for (intptr_t j = 0; j < outCount; j += 2) {
        // An odd last row is computed as both rows of its pair, stored once.
        int pair = j + 1 < outCount;
        const float *v = pair ? u + inCount : u;
        u = two_rows(u, v, a, end8, end, b + j, pair ? b + j + 1 : b + j, z + j, pair ? z + j + 1 : &spare) +
            inCount;
    }
}

#endif
