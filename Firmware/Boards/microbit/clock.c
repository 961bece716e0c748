// microbit's benchmark clock is SysTick (Support/systick.c) on the 16 MHz
// processor clock QEMU gives the nRF51.
#include "support.h"

uint32_t board_clock_tick_ps(void) { return 62500; }
