// mps2-an500 (Cortex-M7): reset, the vector table and faults are the shared
// Cortex-M code of Support/cortex_m.c.
#include "support.h"

const char support_board_name[] = "mps2-an500 (Cortex-M7, hard float)";
