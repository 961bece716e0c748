// riscv32 (QEMU virt, RV32IMAFC): reset entry and the trap handler. The F
// extension gives hardware single precision, fmadd.s included.
#include "support.h"

const char support_board_name[] = "riscv32 (QEMU virt, RV32IMAFC, hard float)";

// First in flash (.text.start): gp and sp, the FPU, the trap vector.
__attribute__((naked, section(".text.start"))) void _start(void) {
    __asm__ volatile(
        "  .option push\n"
        "  .option norelax\n"
        "  la gp, __global_pointer$\n"
        "  .option pop\n"
        "  la sp, __stack_top\n"
        "  li t0, 0x2000\n"            // mstatus.FS = Initial: FPU on
        "  csrs mstatus, t0\n"
        "  csrwi fcsr, 0\n"            // round to nearest even, no flags
        "  la t0, riscv_trap_entry\n"
        "  csrw mtvec, t0\n"           // direct mode: every trap to one place
        "  j support_start\n");
}

// Exit without semihosting: the SiFive test device ends QEMU with a code.
void board_poweroff(int32_t code) {
    volatile uint32_t *const test_device = (uint32_t *)0x100000;
    *test_device = code == 0 ? 0x5555 : ((uint32_t)code << 16) | 0x3333;
    for (;;) __asm__ volatile("wfi");
}

static const char *cause_name(uint32_t mcause) {
    static const char *const names[] = {
        "InstructionMisaligned", "InstructionAccessFault", "IllegalInstruction",
        "Breakpoint", "LoadMisaligned", "LoadAccessFault", "StoreMisaligned",
        "StoreAccessFault", "EcallU", "EcallS", "Reserved", "EcallM",
    };
    if (mcause & 0x80000000u) return "UnexpectedInterrupt";
    return mcause < sizeof names / sizeof names[0] ? names[mcause] : "Exception";
}

extern uint32_t __flash_start[], __flash_end[];

__attribute__((noreturn, used)) void riscv_fault(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
    const char *detail = 0;
    // LLVM's trap (a failed Swift precondition, overflow or bounds check)
    // is `unimp`: c.unimp (0x0000) with RVC, else csrrw x0, cycle, x0.
    if (mcause == 2 && mepc >= (uint32_t)(uintptr_t)__flash_start &&
        mepc + 4 <= (uint32_t)(uintptr_t)__flash_end) {
        uint16_t low = *(const uint16_t *)(uintptr_t)mepc;
        uint16_t high = *(const uint16_t *)(uintptr_t)(mepc + 2);
        if (low == 0 || (low == 0x1073 && high == 0xC000))
            detail = "trap: a Swift runtime check failed";
    }
    support_fault_begin(cause_name(mcause), mepc);
    support_fault_field("mcause", mcause);
    support_fault_field("mtval", mtval);
    support_fault_end(detail);
}

__attribute__((naked, aligned(4))) void riscv_trap_entry(void) {
    __asm__ volatile(
        "  csrr a0, mcause\n"
        "  csrr a1, mepc\n"
        "  csrr a2, mtval\n"
        "  j riscv_fault\n");
}
