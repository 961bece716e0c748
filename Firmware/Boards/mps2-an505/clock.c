// mps2-an505's benchmark clock is SysTick (Support/systick.c) on the 20 MHz
// processor clock (MAINCLK) QEMU gives the board.
#include "support.h"

uint32_t board_clock_tick_ps(void) { return 50000; }
