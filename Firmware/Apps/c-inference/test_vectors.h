/* test_vectors.h: the first five samples of Data/digits/digits.csv (file lines
 * 2-6), raw features 0-16 as the model takes them, and the class the host
 * predicts for each (`tinynn predict digits.tnn --data Data/digits/digits.csv
 * --limit 5`, which also prints the bits of every output with --bits).
 */
#ifndef TEST_VECTORS_H
#define TEST_VECTORS_H

#include <stdint.h>

#define TEST_VECTOR_COUNT 5

static const float test_vectors[TEST_VECTOR_COUNT][64] = {
    { 0.0f, 0.0f, 5.0f, 13.0f, 9.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 13.0f, 15.0f, 10.0f, 15.0f, 5.0f, 0.0f, 0.0f, 3.0f, 15.0f, 2.0f, 0.0f, 11.0f, 8.0f, 0.0f, 0.0f, 4.0f, 12.0f, 0.0f, 0.0f, 8.0f, 8.0f, 0.0f, 0.0f, 5.0f, 8.0f, 0.0f, 0.0f, 9.0f, 8.0f, 0.0f, 0.0f, 4.0f, 11.0f, 0.0f, 1.0f, 12.0f, 7.0f, 0.0f, 0.0f, 2.0f, 14.0f, 5.0f, 10.0f, 12.0f, 0.0f, 0.0f, 0.0f, 0.0f, 6.0f, 13.0f, 10.0f, 0.0f, 0.0f, 0.0f },
    { 0.0f, 0.0f, 0.0f, 12.0f, 13.0f, 5.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 11.0f, 16.0f, 9.0f, 0.0f, 0.0f, 0.0f, 0.0f, 3.0f, 15.0f, 16.0f, 6.0f, 0.0f, 0.0f, 0.0f, 7.0f, 15.0f, 16.0f, 16.0f, 2.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 16.0f, 16.0f, 3.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 16.0f, 16.0f, 6.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 16.0f, 16.0f, 6.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 11.0f, 16.0f, 10.0f, 0.0f, 0.0f },
    { 0.0f, 0.0f, 0.0f, 4.0f, 15.0f, 12.0f, 0.0f, 0.0f, 0.0f, 0.0f, 3.0f, 16.0f, 15.0f, 14.0f, 0.0f, 0.0f, 0.0f, 0.0f, 8.0f, 13.0f, 8.0f, 16.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 6.0f, 15.0f, 11.0f, 0.0f, 0.0f, 0.0f, 1.0f, 8.0f, 13.0f, 15.0f, 1.0f, 0.0f, 0.0f, 0.0f, 9.0f, 16.0f, 16.0f, 5.0f, 0.0f, 0.0f, 0.0f, 0.0f, 3.0f, 13.0f, 16.0f, 16.0f, 11.0f, 5.0f, 0.0f, 0.0f, 0.0f, 0.0f, 3.0f, 11.0f, 16.0f, 9.0f, 0.0f },
    { 0.0f, 0.0f, 7.0f, 15.0f, 13.0f, 1.0f, 0.0f, 0.0f, 0.0f, 8.0f, 13.0f, 6.0f, 15.0f, 4.0f, 0.0f, 0.0f, 0.0f, 2.0f, 1.0f, 13.0f, 13.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 2.0f, 15.0f, 11.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 12.0f, 12.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 10.0f, 8.0f, 0.0f, 0.0f, 0.0f, 8.0f, 4.0f, 5.0f, 14.0f, 9.0f, 0.0f, 0.0f, 0.0f, 7.0f, 13.0f, 13.0f, 9.0f, 0.0f, 0.0f },
    { 0.0f, 0.0f, 0.0f, 1.0f, 11.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 7.0f, 8.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 13.0f, 6.0f, 2.0f, 2.0f, 0.0f, 0.0f, 0.0f, 7.0f, 15.0f, 0.0f, 9.0f, 8.0f, 0.0f, 0.0f, 5.0f, 16.0f, 10.0f, 0.0f, 16.0f, 6.0f, 0.0f, 0.0f, 4.0f, 15.0f, 16.0f, 13.0f, 16.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 3.0f, 15.0f, 10.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 2.0f, 16.0f, 4.0f, 0.0f, 0.0f },
};

/* The labels of these samples are 0, 1, 2, 3, 4; the model gets all five right. */
static const int32_t test_vector_classes[TEST_VECTOR_COUNT] = { 0, 1, 2, 3, 4 };

#endif /* TEST_VECTORS_H */
