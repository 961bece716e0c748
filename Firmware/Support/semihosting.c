// ARM-compatible semihosting: the firmware's link to the host console and
// exit code. QEMU implements it when started with `-semihosting`, for Arm
// (bkpt 0xAB in Thumb) and for RISC-V (ebreak between two marker nops).
#include "support.h"

enum {
    SYS_WRITE0 = 0x04,          // r1 = NUL-terminated string
    SYS_EXIT_EXTENDED = 0x20,   // r1 = {reason, code}; 32-bit targets need
                                // this form to pass a code other than 0/1
    ADP_STOPPED_APPLICATION_EXIT = 0x20026,
};

#if defined(__arm__)
static uintptr_t semihost_call(uintptr_t op, const void *arg) {
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
#elif defined(__riscv)
// QEMU recognises the call only as exactly these three uncompressed
// instructions on one page, so they live in their own 16-byte aligned
// function that relaxation and RVC cannot touch.
__asm__(
    "  .section .text.semihost_trap,\"ax\",@progbits\n"
    "  .balign 16\n"
    "  .type semihost_trap, @function\n"
    "semihost_trap:\n"
    "  .option push\n"
    "  .option norvc\n"
    "  .option norelax\n"
    "  slli x0, x0, 0x1f\n"
    "  ebreak\n"
    "  srai x0, x0, 7\n"
    "  ret\n"
    "  .option pop\n"
    "  .size semihost_trap, . - semihost_trap\n");
uintptr_t semihost_trap(uintptr_t op, const void *arg);
static uintptr_t semihost_call(uintptr_t op, const void *arg) {
    return semihost_trap(op, arg);
}
#else
#error "semihosting: unsupported architecture"
#endif

void semihost_write0(const char *zstring) {
    semihost_call(SYS_WRITE0, zstring);
}

void semihost_exit(int32_t code) {
    static volatile uintptr_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uintptr_t)(uint32_t)code;
    semihost_call(SYS_EXIT_EXTENDED, (const void *)block);
    board_poweroff(code);
}
