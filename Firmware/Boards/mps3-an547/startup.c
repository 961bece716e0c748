// mps3-an547 (Cortex-M55): reset, the vector table and faults are the shared
// Cortex-M code of Support/cortex_m.c.
#include "support.h"

const char support_board_name[] = "mps3-an547 (Cortex-M55, Helium, hard float)";
