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

// The 16 system exceptions only. No external interrupt is ever enabled in
// the NVIC, so none can be taken and their 32 entries would be dead flash.
__attribute__((section(".vectors"), used))
const uintptr_t vector_table[16] = {
    [0] = (uintptr_t)__stack_top,
    [1] = (uintptr_t)Reset_Handler,
    [2 ... 15] = (uintptr_t)cortex_m_fault_entry,
};
