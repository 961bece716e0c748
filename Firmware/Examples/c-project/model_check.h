/* The model the Makefile chose (MODEL_HEADER, from `tinynn export --c`) and
 * the checks main.c prints. Both main.c and model_check.c include the model's
 * header: its arrays are defined once, in the exported .c file, so the
 * firmware holds one copy of the parameters (the Makefile's `one-copy`
 * target counts them in the ELF). */
#ifndef MODEL_CHECK_H
#define MODEL_CHECK_H

#include <stdint.h>
#include MODEL_HEADER

/* The model's names from the Makefile's MODEL_NAME (digits) and MODEL_UPPER
 * (DIGITS): MODEL_MACRO(_INPUTS) is TINYNN_DIGITS_INPUTS. */
#define MODEL_JOIN_(a, b, c) a##b##c
#define MODEL_JOIN(a, b, c) MODEL_JOIN_(a, b, c)
#define MODEL_MACRO(suffix) MODEL_JOIN(TINYNN_, MODEL_UPPER, suffix)
#define MODEL_DESCRIPTOR MODEL_JOIN(tinynn_, MODEL_NAME, _model)
#define MODEL_PREDICT MODEL_JOIN(MODEL_NAME, _predict, )

/* CRC-32 (IEEE, reflected) of count floats as little-endian bytes, continuing
 * from crc (0 to start): TinyNN's parameter and vector checksums. */
uint32_t crc32_floats(const float *values, int32_t count, uint32_t crc);

/* CRC-32 of the model's parameters as they are in flash, in model-file order
 * w1, b1, w2, b2, ... (the header's TINYNN_<NAME>_CRC32 when intact). */
uint32_t model_parameter_crc(void);

/* A float's bit pattern. */
uint32_t float_bits(float f);

#endif
