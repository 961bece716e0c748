// Stack high-water mark: paint the free stack, later find the deepest word
// that changed. The stack grows down from __stack_top to __stack_limit (the
// end of .bss; sections.ld).
#include "support.h"

extern uint32_t __stack_top[], __stack_limit[];

#define STACK_PAINT 0x5A5AA5A5u

__attribute__((noinline)) void support_stack_paint(void) {
    // Leave this function's own frame (and a margin) alone.
    uint32_t *sp = (uint32_t *)__builtin_frame_address(0) - 16;
    for (uint32_t *p = __stack_limit; p < sp; p++) *(volatile uint32_t *)p = STACK_PAINT;
}

uint32_t support_stack_peak(void) {
    uint32_t *p = __stack_limit;
    while (p < __stack_top && *(volatile uint32_t *)p == STACK_PAINT) p++;
    return (uint32_t)((uintptr_t)__stack_top - (uintptr_t)p);
}
