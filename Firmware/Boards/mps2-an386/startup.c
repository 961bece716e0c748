// mps2-an386 (Cortex-M4F): vector table and reset. Faults go to the shared
// Cortex-M handler in Support/cortex_m.c.
#include "support.h"

const char support_board_name[] = "mps2-an386 (Cortex-M4F, hard float)";

extern uint32_t __stack_top[];
void cortex_m_fault_entry(void);

__attribute__((noreturn)) void Reset_Handler(void) {
    // CP10 and CP11 full access (CPACR bits 20-23) before any FP instruction:
    // the Swift code, and clang's code around it, use the s-registers.
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm__ volatile("dsb\n isb" ::: "memory");
    support_start();
}

void board_poweroff(int32_t code) {
    (void)code;   // no power-off device: QEMU's timeout ends the run
    for (;;) __asm__ volatile("wfi");
}

// 16 system exceptions + 32 external interrupts. None is enabled; a stray
// one still ends in a FAULT line rather than a jump through garbage.
__attribute__((section(".vectors"), used))
const uintptr_t vector_table[16 + 32] = {
    [0] = (uintptr_t)__stack_top,
    [1] = (uintptr_t)Reset_Handler,
    [2 ... 16 + 32 - 1] = (uintptr_t)cortex_m_fault_entry,
};
