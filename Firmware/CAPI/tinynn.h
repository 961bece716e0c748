/* tinynn.h: the C API of TinyNN, for plain C firmware that runs a model
 * exported with `tinynn export`.
 *
 * The arithmetic is the Swift core's (Sources/TinyNN, through the @_cdecl
 * entry points in Firmware/CAPI/CAPI.swift), so a model computes the same
 * bits here as in `tinynn predict --bits` on the host. Nothing allocates:
 * the parameters stay where the exported header put them (flash), and the
 * caller lends the scratch memory.
 *
 *     #include "tinynn.h"
 *     #include "digits_model.h"          // tinynn export ... --name digits
 *
 *     static const tinynn_model model = TINYNN_MODEL(digits);
 *     static float scratch[TINYNN_DIGITS_SCRATCH_FLOATS];
 *
 *     float y[TINYNN_DIGITS_OUTPUTS];
 *     int32_t digit = tinynn_predict(&model, x, y, scratch);  // x: raw features
 */
#ifndef TINYNN_H
#define TINYNN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Activation kinds: the raw values of the core's `Activation` (also defined
 * by every exported header). */
#ifndef TINYNN_ACTIVATION_KINDS
#define TINYNN_ACTIVATION_KINDS
#define TINYNN_ACTIVATION_IDENTITY 0
#define TINYNN_ACTIVATION_SIGMOID 1
#define TINYNN_ACTIVATION_TANH 2
#define TINYNN_ACTIVATION_RELU 3
#define TINYNN_ACTIVATION_LEAKY_RELU 4
#define TINYNN_ACTIVATION_SOFTMAX 5
#endif

/* At most this many layers (the core's NetworkView.maxLayers). */
#define TINYNN_MAX_LAYERS 8

/* Status codes, as CMSIS-NN's arm_cmsis_nn_status: 0 for success, negative
 * for an error; tinynn_predict returns a class (>= 0) or one of the errors. */
typedef enum tinynn_status {
    TINYNN_OK = 0,
    TINYNN_ERROR_NULL = -1,  /* the model, a table it needs, x, y or scratch is NULL */
    TINYNN_ERROR_MODEL = -2  /* layers outside 1..8, a width below 1, an unknown activation */
} tinynn_status;

/* Link-time ABI check for the static library (Scripts/build-lib): C calls
 * tinynn_run under a name that spells this compilation's float ABI and enum
 * size, e.g. tinynn_run_abi_hard_enum4, and libtinynn-BOARD.a defines only
 * the name of the ABI it was built for. A project compiled for another ABI
 * fails to link ("undefined reference to tinynn_run_abi_softfp_enum1")
 * instead of passing floats in the wrong registers. The in-tree Swift
 * firmware builds, which compile the C API and the app with the same flags,
 * define TINYNN_NO_ABI_CHECK. */
#define TINYNN_ABI_JOIN_(a, b, c) a##b##c
#define TINYNN_ABI_JOIN(a, b, c) TINYNN_ABI_JOIN_(a, b, c)
#if defined(__arm__) && !defined(TINYNN_NO_ABI_CHECK)
#  if defined(__ARM_PCS_VFP)
#    define TINYNN_ABI_FLOAT hard
#  elif defined(__ARM_FP)
#    define TINYNN_ABI_FLOAT softfp
#  else
#    define TINYNN_ABI_FLOAT soft
#  endif
#  if defined(__ARM_SIZEOF_MINIMAL_ENUM) && __ARM_SIZEOF_MINIMAL_ENUM == 1
#    define TINYNN_ABI_ENUM _enum1
#  else
#    define TINYNN_ABI_ENUM _enum4
#  endif
#  define TINYNN_RUN TINYNN_ABI_JOIN(tinynn_run_abi_, TINYNN_ABI_FLOAT, TINYNN_ABI_ENUM)
#elif defined(__riscv) && !defined(TINYNN_NO_ABI_CHECK)
#  if defined(__riscv_float_abi_single)
#    define TINYNN_ABI_FLOAT ilp32f
#  elif defined(__riscv_float_abi_double)
#    define TINYNN_ABI_FLOAT ilp32d
#  else
#    define TINYNN_ABI_FLOAT ilp32
#  endif
#  define TINYNN_RUN TINYNN_ABI_JOIN(tinynn_run_abi_, TINYNN_ABI_FLOAT, _enum4)
#else
#  define TINYNN_RUN tinynn_run
#endif

/* A model whose numbers live elsewhere (an exported header's arrays). */
typedef struct tinynn_model {
    int32_t layers;              /* L, 1..TINYNN_MAX_LAYERS */
    const int32_t *widths;       /* [L + 1]: inputs, then each layer's outputs */
    const uint8_t *activations;  /* [L]: TINYNN_ACTIVATION_* */
    const float *const *weights; /* [L]: layer l's w, [widths[l+1]][widths[l]] row-major */
    const float *const *biases;  /* [L]: layer l's b, [widths[l+1]] */
    const float *input_offset;   /* [widths[0]], or NULL for no input scaling */
    const float *input_scale;    /* [widths[0]], or NULL: x' = (x - offset) * scale */
} tinynn_model;

/* The descriptor of the model exported with `--name name`, as an
 * initializer (usable for a static const, so the descriptor is in flash too). */
#define TINYNN_MODEL(name)                                                         \
    {                                                                              \
        (int32_t)sizeof(tinynn_##name##_activations), tinynn_##name##_widths,     \
            tinynn_##name##_activations, tinynn_##name##_weight_table,             \
            tinynn_##name##_bias_table, tinynn_##name##_offset, tinynn_##name##_scale \
    }

/* The forward pass with the model's parts as separate arguments: the one
 * entry point of CAPI.swift that tinynn_predict calls. */
int32_t tinynn_run(int32_t layers, const int32_t *widths, const uint8_t *activations,
                   const float *const *weights, const float *const *biases,
                   const float *input_offset, const float *input_scale,
                   const float *x, float *y, float *scratch);
#if !defined(TINYNN_NO_ABI_CHECK) && (defined(__arm__) || defined(__riscv))
/* tinynn_run under its ABI name (see TINYNN_RUN above). */
int32_t TINYNN_RUN(int32_t layers, const int32_t *widths, const uint8_t *activations,
                   const float *const *weights, const float *const *biases,
                   const float *input_offset, const float *input_scale,
                   const float *x, float *y, float *scratch);
#endif

/* out[i] = (x[i] - offset[i]) * scale[i] for i < count, two roundings, as on
 * the host (the core's InputScaling.apply). out may be x. */
void tinynn_scale_input(const float *x, const float *offset, const float *scale, float *out, int32_t count);

/* Floats of scratch tinynn_predict needs: the scaled input, then z and a of
 * every layer, 2 * (widths[1] + ... + widths[L]) + widths[0]; the same as an
 * exported header's TINYNN_<NAME>_SCRATCH_FLOATS. -1 for a bad model. */
static inline int32_t tinynn_scratch_floats(const tinynn_model *m) {
    int32_t l, n;
    if (m == 0 || m->widths == 0 || m->layers < 1 || m->layers > TINYNN_MAX_LAYERS) return -1;
    n = m->widths[0];
    for (l = 1; l <= m->layers; l++) n += 2 * m->widths[l];
    return n;
}

/* Runs the model on one raw sample.
 *   x:       [widths[0]] raw features (scaled here if the model has input scaling)
 *   y:       [widths[L]] receives the output activations; may be NULL
 *   scratch: tinynn_scratch_floats(m) floats, float-aligned, not overlapping x or y
 * Returns the predicted class (the index of the largest output, the first of
 * equals; for one output, 1 if it exceeds 0.5, else 0), or TINYNN_ERROR_*. */
static inline int32_t tinynn_predict(const tinynn_model *m, const float *x, float *y, float *scratch) {
    if (m == 0) return TINYNN_ERROR_NULL;
    return TINYNN_RUN(m->layers, m->widths, m->activations, m->weights, m->biases,
                      m->input_offset, m->input_scale, x, y, scratch);
}

/* ---- int8 models (`tinynn quantize`, then `tinynn export --c`) ----------
 *
 * Integer arithmetic only (no float instruction runs), the same integers as
 * `tinynn predict --bits` of the int8 model on the host:
 *
 *     #include "digits8.h"                 // tinynn export digits-int8.tnn --c digits8
 *
 *     static int32_t scratch[TINYNN_DIGITS8_SCRATCH_WORDS];
 *     int8_t q[TINYNN_DIGITS8_INPUTS];      // q = clamp(round(x' / INPUT_SCALE) + INPUT_ZERO_POINT)
 *     int8_t logits[TINYNN_DIGITS8_OUTPUTS], p[TINYNN_DIGITS8_OUTPUTS];
 *     int32_t digit = digits8_classify(q, logits, p, scratch);  // p[k] / 256 + 0.5: probability
 *
 * Layer l: z = W q + b in int32 (W int8 [out][in] row-major, b int32 with the
 * input's zero point folded in), then a = clamp(MultiplyByQuantizedMultiplier(z,
 * m[j], shift) + zero_point) with one rounding, floor((z m + 2^(T-1)) / 2^T),
 * T = 31 - shift (TFLM's TFLITE_SINGLE_ROUNDING); ReLU's floor is the zero
 * point, leaky ReLU uses negative_multipliers and negative_shifts for z < 0,
 * sigmoid and tanh then look a up in a 256-entry table. A softmax output's
 * int8 values are its logits; the integer softmax gives the probabilities. */
typedef struct tinynn_int8_model {
    int32_t layers;                             /* L, 1..TINYNN_MAX_LAYERS */
    const int32_t *widths;                      /* [L + 1] */
    const uint8_t *activations;                 /* [L]: TINYNN_ACTIVATION_* */
    const int8_t *const *weights;               /* [L]: [widths[l+1]][widths[l]] */
    const int32_t *const *biases;               /* [L]: [widths[l+1]] */
    const int32_t *const *multipliers;          /* [L]: [widths[l+1]], Q31 */
    const int32_t *shifts;                      /* [L] */
    const int32_t *const *negative_multipliers; /* [L]: leaky ReLU layers' [widths[l+1]], else NULL; or NULL */
    const int32_t *negative_shifts;             /* [L] */
    const int32_t *zero_points;                 /* [L]: of each layer's a (sigmoid, tanh: of the table's input) */
    const int8_t *const *tables;                /* [L]: sigmoid and tanh layers' [256], else NULL; or NULL */
    int32_t softmax_beta;                       /* the integer softmax's beta (softmax output) */
    int32_t class_threshold;                    /* one output: class 1 when a > this */
} tinynn_int8_model;

/* `tinynn export MODEL-int8.tnn --c PATH` defines the descriptor tinynn_<name>_model. */

/* The int8 forward pass with the model's parts as separate arguments (CAPI.swift). */
int32_t tinynn_int8_run(int32_t layers, const int32_t *widths, const uint8_t *activations,
                        const int8_t *const *weights, const int32_t *const *biases,
                        const int32_t *const *multipliers, const int32_t *shifts,
                        const int32_t *const *negative_multipliers, const int32_t *negative_shifts,
                        const int32_t *zero_points, const int8_t *const *tables,
                        int32_t softmax_beta, int32_t class_threshold,
                        const int8_t *x, int8_t *y, int8_t *probabilities, int32_t *scratch);

/* int32 words of scratch tinynn_int8_predict needs: z of every layer (int32),
 * then a of every layer (int8, packed): W + ceil(W / 4) for W = widths[1] +
 * ... + widths[L]; an exported header's TINYNN_<NAME>_SCRATCH_WORDS. -1 for a
 * bad model. */
static inline int32_t tinynn_int8_scratch_words(const tinynn_int8_model *m) {
    int32_t l, n = 0;
    if (m == 0 || m->widths == 0 || m->layers < 1 || m->layers > TINYNN_MAX_LAYERS) return -1;
    for (l = 1; l <= m->layers; l++) n += m->widths[l];
    return n + (n + 3) / 4;
}

/* Runs the int8 model on one quantized sample.
 *   x:             [widths[0]] int8 input
 *   y:             [widths[L]] receives the int8 outputs (softmax: the logits); may be NULL
 *   probabilities: [widths[L]] receives the integer softmax (probability p / 256 + 1/2) for a
 *                  softmax output; may be NULL (then the softmax is not computed)
 *   scratch:       tinynn_int8_scratch_words(m) words, not overlapping x, y or probabilities
 * Returns the predicted class (the largest output, the first of equals; for
 * one output, 1 if it exceeds class_threshold, else 0), or TINYNN_ERROR_*
 * (TINYNN_ERROR_MODEL also for a leaky ReLU layer without negative
 * multipliers or a sigmoid or tanh layer without its table). */
static inline int32_t tinynn_int8_predict(const tinynn_int8_model *m, const int8_t *x, int8_t *y,
                                          int8_t *probabilities, int32_t *scratch) {
    if (m == 0) return TINYNN_ERROR_NULL;
    return tinynn_int8_run(m->layers, m->widths, m->activations, m->weights, m->biases, m->multipliers,
                           m->shifts, m->negative_multipliers, m->negative_shifts, m->zero_points, m->tables,
                           m->softmax_beta, m->class_threshold, x, y, probabilities, scratch);
}

#ifdef __cplusplus
}
#endif

#endif /* TINYNN_H */
