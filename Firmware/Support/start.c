// The part of reset every board shares, run once the board has set up the
// stack pointer (and the FPU where there is one).
#include "support.h"

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];

/// Copies .data from flash, zeroes .bss, runs the app and exits with its code.
__attribute__((noreturn)) void support_start(void) {
    for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
    for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
    support_exit(firmware_main());
}
