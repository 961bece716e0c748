// The Cortex-M fault handler every Arm board's unused vectors point at: one
// line naming the exception, the faulting pc and the fault status, then exit.
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
#endif
