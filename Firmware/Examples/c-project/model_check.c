/* The model's checksum from its arrays in flash: the second translation unit
 * that includes the exported header (see model_check.h). */
#include <string.h>

#include "model_check.h"

uint32_t float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* One byte into a running (inverted) CRC-32, IEEE reflected. */
static uint32_t crc32_byte(uint32_t crc, uint32_t byte) {
    int32_t bit;
    crc ^= byte & 0xFFu;
    for (bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    return crc;
}

/* A word's four bytes, least significant first. */
static uint32_t crc32_word(uint32_t crc, uint32_t u) {
    int32_t shift;
    for (shift = 0; shift < 32; shift += 8) crc = crc32_byte(crc, u >> shift);
    return crc;
}

uint32_t crc32_floats(const float *values, int32_t count, uint32_t crc) {
    int32_t k;
    crc = ~crc;
    for (k = 0; k < count; k++) crc = crc32_word(crc, float_bits(values[k]));
    return ~crc;
}

uint32_t crc32_bytes(const int8_t *bytes, int32_t count, uint32_t crc) {
    int32_t k;
    crc = ~crc;
    for (k = 0; k < count; k++) crc = crc32_byte(crc, (uint8_t)bytes[k]);
    return ~crc;
}

#if MODEL_INT8
static uint32_t crc32_int32s(const int32_t *values, int32_t count, uint32_t crc) {
    int32_t k;
    crc = ~crc;
    for (k = 0; k < count; k++) crc = crc32_word(crc, (uint32_t)values[k]);
    return ~crc;
}

uint32_t model_parameter_crc(void) {
    const tinynn_int8_model *m = &MODEL_DESCRIPTOR;
    uint32_t crc = 0;
    int32_t l;
    for (l = 0; l < m->layers; l++) {
        int32_t out = m->widths[l + 1];
        crc = crc32_bytes(m->weights[l], m->widths[l] * out, crc);
        crc = crc32_int32s(m->biases[l], out, crc);
        crc = crc32_int32s(m->multipliers[l], out, crc);
        if (m->negative_multipliers[l]) crc = crc32_int32s(m->negative_multipliers[l], out, crc);
        if (m->tables[l]) crc = crc32_bytes(m->tables[l], 256, crc);
    }
    return crc;
}
#else
uint32_t model_parameter_crc(void) {
    const tinynn_model *m = &MODEL_DESCRIPTOR;
    uint32_t crc = 0;
    int32_t l;
    for (l = 0; l < m->layers; l++) {
        crc = crc32_floats(m->weights[l], m->widths[l] * m->widths[l + 1], crc);
        crc = crc32_floats(m->biases[l], m->widths[l + 1], crc);
    }
    return crc;
}
#endif
