/* The model's checksum from its arrays in flash: the second translation unit
 * that includes the exported header (see model_check.h). */
#include <string.h>

#include "model_check.h"

uint32_t float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

uint32_t crc32_floats(const float *values, int32_t count, uint32_t crc) {
    int32_t k, bit;
    crc = ~crc;
    for (k = 0; k < count; k++) {
        uint32_t u = float_bits(values[k]);
        for (bit = 0; bit < 32; bit++) {
            if (bit % 8 == 0) crc ^= (u >> bit) & 0xFFu;
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

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
