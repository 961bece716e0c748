// What every Cortex-M board shares: the fault handler all unused vectors
// point at (one line naming the exception, the faulting pc and the fault
// status, then exit) and, for the boards with an FPU, reset and the vector
// table. A board's startup.c then only names the board; one without an FPU
// (microbit) has its own reset and table.
#include "support.h"

#if defined(__arm__)

extern uint32_t __flash_start[], __flash_end[];

static const char *exception_name(uint32_t ipsr) {
    switch (ipsr) {
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    case 7: return "SecureFault";   // ARMv8-M with the Security Extension
    case 11: return "SVCall";
    case 14: return "PendSV";
    case 15: return "SysTick";
    default: return ipsr >= 16 ? "UnexpectedIRQ" : "Reserved";
    }
}

static int in_flash(uint32_t address) {
    return address >= (uint32_t)(uintptr_t)__flash_start &&
           address + 2 <= (uint32_t)(uintptr_t)__flash_end;
}

/// frame: the registers the CPU stacked on entry (r0-r3, r12, lr, pc, xpsr).
__attribute__((noreturn, used)) void cortex_m_fault(const uint32_t *frame) {
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= 0x1FF;
    uint32_t pc = frame[6];
    const char *detail = 0;
    // LLVM's trap (a failed Swift precondition, overflow or bounds check)
    // is `udf #254`.
    if (in_flash(pc) && *(const uint16_t *)(uintptr_t)pc == 0xDEFE)
        detail = "trap: a Swift runtime check failed";
    support_fault_begin(exception_name(ipsr), pc);
    support_fault_field("lr", frame[5]);
    if (ipsr >= 16) support_fault_field("irq", ipsr - 16);
#if __ARM_ARCH >= 7
    // ARMv7-M fault status, raw (bit 16 undefined instruction, 19 no
    // coprocessor: FPU disabled, 24 unaligned, 25 divide by zero, 8-10 bus
    // error, 0-1 memory protection), and the address when known. Naming
    // each bit in words took more flash than the rest of the handler.
    volatile uint32_t *const cfsr = (uint32_t *)0xE000ED28;
    volatile uint32_t *const mmfar = (uint32_t *)0xE000ED34;
    volatile uint32_t *const bfar = (uint32_t *)0xE000ED38;
    uint32_t status = *cfsr;
    support_fault_field("cfsr", status);
    if (status & (1u << 15)) support_fault_field("bfar", *bfar);
    if (status & (1u << 7)) support_fault_field("mmfar", *mmfar);
#else
    if (!detail && ipsr == 3) detail = "ARMv6-M: bad address, undefined instruction or unaligned access";
#endif
    support_fault_end(detail);
}

// Every vector but reset lands here. Thread code runs on MSP (there is no
// RTOS), so MSP holds the stacked frame; the code is Thumb-1 so that it
// assembles for ARMv6-M too.
__attribute__((naked)) void cortex_m_fault_entry(void) {
    __asm__ volatile(
        "  mrs r0, msp\n"
        "  ldr r1, =cortex_m_fault\n"
        "  bx r1\n"
        "  .ltorg\n");
}

#if defined(__ARM_FP)
extern uint32_t __stack_top[];

/// Reset for the boards with an FPU (Cortex-M4F, M7, M33, M55): CP10 and
/// CP11 full access (CPACR bits 20-23) before any FP or Helium instruction,
/// since the Swift code, and clang's code around it, use the s-registers
/// (and on Cortex-M55 the q-registers, which are the same registers). On the
/// ARMv8-M boards the core starts in the Secure state and stays there (no
/// SAU region is set up: all memory is Secure), so the Secure CPACR is the
/// one that counts.
__attribute__((noreturn)) void Reset_Handler(void) {
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm__ volatile("dsb\n isb" ::: "memory");
    support_start();
}

void board_poweroff(int32_t code) {
    (void)code;   // no power-off device: QEMU's timeout ends the run
    for (;;) __asm__ volatile("wfi");
}

// The 16 system exceptions only. No external interrupt is ever enabled in
// the NVIC, so none can be taken and their entries would be dead flash.
__attribute__((section(".vectors"), used))
const uintptr_t vector_table[16] = {
    [0] = (uintptr_t)__stack_top,
    [1] = (uintptr_t)Reset_Handler,
    [2 ... 15] = (uintptr_t)cortex_m_fault_entry,
};
#endif
#endif
