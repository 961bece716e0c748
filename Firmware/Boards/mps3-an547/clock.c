// mps3-an547's benchmark clock is SysTick (Support/systick.c) on the 32 MHz
// processor clock QEMU gives the board.
#include "support.h"

uint32_t board_clock_tick_ps(void) { return 31250; }
