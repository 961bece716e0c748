// Line-buffered console over semihosting, the exit path, and the one-line
// fault report every board's fault handler ends in.
#include "support.h"

// Each semihosting call is a trap into QEMU, so output goes out a line at a
// time. One byte stays free for the NUL that SYS_WRITE0 needs.
static char console_buffer[128];
static size_t console_count;

void support_console_flush(void) {
    if (console_count == 0) return;
    console_buffer[console_count] = 0;
    semihost_write0(console_buffer);
    console_count = 0;
}

void support_console_putc(int c) {
    // SYS_WRITE0 would stop at an embedded NUL; drop it rather than lose the line.
    if (c == 0) return;
    console_buffer[console_count++] = (char)c;
    if (c == '\n' || console_count == sizeof console_buffer - 1) support_console_flush();
}

void support_console_write(const uint8_t *bytes, size_t count) {
    for (size_t i = 0; i < count; i++) support_console_putc(bytes[i]);
}

// Embedded Swift's `print` ends in putchar.
int putchar(int c) {
    support_console_putc(c);
    return c;
}

void support_exit(int32_t code) {
    support_console_flush();
    semihost_exit(code);
}

// MARK: - Fault line

static volatile int fault_depth;

static void fault_puts(const char *s) {
    while (*s) support_console_putc(*s++);
}

static void fault_hex(uint32_t v) {
    fault_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        support_console_putc("0123456789abcdef"[(v >> shift) & 0xF]);
}

void support_fault_begin(const char *kind, uint32_t pc) {
    if (++fault_depth > 1) {
        // Faulted while reporting (console or semihosting broken): the exit
        // code is all that can still get out.
        board_poweroff(SUPPORT_EXIT_FAULT);
    }
    // Finish whatever the app was printing so the fault starts its own line.
    if (console_count != 0) support_console_putc('\n');
    fault_puts("FAULT: ");
    fault_puts(kind);
    support_fault_field("pc", pc);
}

void support_fault_field(const char *name, uint32_t value) {
    support_console_putc(' ');
    fault_puts(name);
    support_console_putc('=');
    fault_hex(value);
}

void support_fault_end(const char *detail) {
    if (detail) {
        fault_puts(" (");
        fault_puts(detail);
        support_console_putc(')');
    }
    support_console_putc('\n');
    support_exit(SUPPORT_EXIT_FAULT);
}

const char *support_board(void) {
    return support_board_name;
}

// MARK: - For tests

/// Returns its argument from another object file, which the optimizer cannot
/// see through: a test's inputs stay unknown at compile time, so the target
/// computes them, not the compiler's constant folder.
uint32_t support_opaque_u32(uint32_t value) {
    return value;
}
