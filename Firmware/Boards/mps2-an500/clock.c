// mps2-an500's benchmark clock is SysTick (Support/systick.c) on the 25 MHz
// processor clock QEMU gives the board.
#include "support.h"

uint32_t board_clock_tick_ps(void) { return 40000; }
