// f32bits: copies standard input to standard output with every
// whitespace-separated decimal number replaced by the bit pattern of the
// float it reads as (0x%08x), keeping the lines. strtof is correctly rounded
// in glibc, as Swift's Float(String) is, so `tinynn predict`'s shortest
// decimals come back as exactly the bits it printed them from.
// Compiled by Scripts/verify and Scripts/demo with the host C compiler.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char line[1 << 16];
    int status = 0;
    while (fgets(line, sizeof line, stdin)) {
        const char *separator = "";
        for (char *token = strtok(line, " \t\r\n"); token; token = strtok(NULL, " \t\r\n")) {
            char *end;
            errno = 0;
            float value = strtof(token, &end);
            if (*end != 0 || end == token) {
                fprintf(stderr, "f32bits: '%s' is not a number\n", token);
                status = 1;
                continue;
            }
            uint32_t bits;
            memcpy(&bits, &value, sizeof bits);
            printf("%s0x%08x", separator, bits);
            separator = " ";
        }
        printf("\n");
    }
    return status;
}
