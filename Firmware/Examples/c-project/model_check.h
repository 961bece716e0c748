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

/* 1 for an int8 model (its header defines TINYNN_<NAME>_INT8), else 0. */
#if MODEL_MACRO(_INT8)
#define MODEL_INT8 1
#else
#define MODEL_INT8 0
#endif

/* CRC-32 (IEEE, reflected) of count floats as little-endian bytes, continuing
 * from crc (0 to start): TinyNN's parameter and vector checksums. */
uint32_t crc32_floats(const float *values, int32_t count, uint32_t crc);

/* CRC-32 of count bytes, continuing from crc (0 to start): the int8 vectors' checksum. */
uint32_t crc32_bytes(const int8_t *bytes, int32_t count, uint32_t crc);

/* CRC-32 of the model's parameters as they are in flash (the header's
 * TINYNN_<NAME>_CRC32 when intact): a float model's in model-file order w1,
 * b1, w2, b2, ... as float32; an int8 model's per layer w, b, m, n (leaky
 * ReLU), t (sigmoid, tanh), int32 values as little-endian bytes. */
uint32_t model_parameter_crc(void);

/* A float's bit pattern. */
uint32_t float_bits(float f);

#endif
