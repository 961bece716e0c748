// riscv32's benchmark clock: minstret, the retired-instruction counter
// (QEMU counts it exactly under -icount; otherwise it follows host time).
#include "support.h"

uint32_t board_clock_ticks(void) {
    uint32_t n;
    __asm__ volatile("csrr %0, minstret" : "=r"(n));
    return n;
}

// Under -icount shift=0 an instruction is 1 ns.
uint32_t board_clock_tick_ps(void) { return 1000; }
