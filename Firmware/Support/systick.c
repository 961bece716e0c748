// The Arm boards' benchmark clock: SysTick, the Cortex-M core timer, counting
// the processor clock. Each board's clock.c says how long a tick is.
#include "support.h"

#if defined(__arm__)

#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)

static uint32_t last_count, ticks;

// SysTick is a 24-bit down counter: each reading adds the ticks since the
// previous one, so readings must come less than 2^24 ticks apart (0.67 s at
// 25 MHz, 1 s at 16 MHz). The path is the same on every call after the
// first, so the cost of a reading is a constant that a benchmark can subtract.
uint32_t board_clock_ticks(void) {
    if (!(SYST_CSR & 1u)) {
        SYST_RVR = 0xFFFFFFu;
        SYST_CVR = 0;                 // any write clears it; it reloads on the next tick
        SYST_CSR = 5u;                // enable, processor clock, no interrupt
        last_count = 0xFFFFFFu;
    }
    uint32_t now = SYST_CVR & 0xFFFFFFu;
    ticks += (last_count - now) & 0xFFFFFFu;
    last_count = now;
    return ticks;
}

#endif
