// Shared bare-metal support for every board: console, exit, fault report.
// Boards provide startup code and call into this; apps reach it from Swift
// through Console.swift (`@_extern(c, ...)`).
#ifndef TINYNN_SUPPORT_H
#define TINYNN_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Exit code of a firmware that faulted (Swift trap, bad address, stray IRQ).
#define SUPPORT_EXIT_FAULT 3

/// The Swift entry point of every app: `@_cdecl("firmware_main")`.
int32_t firmware_main(void);

// MARK: - Board hooks (each board's startup.c)

/// Board name for banners.
extern const char support_board_name[];
/// Stops the machine without the host link (used when semihosting itself
/// fails): a board device where there is one, else a spin QEMU's timeout ends.
__attribute__((noreturn)) void board_poweroff(int32_t code);

/// Copies .data, zeroes .bss, runs firmware_main and exits with its code
/// (start.c). Boards jump here from their reset code.
__attribute__((noreturn)) void support_start(void);

// MARK: - Console (console.c)

/// Buffered console output: a line goes to the host at '\n', when the buffer
/// fills, and before exit.
void support_console_write(const uint8_t *bytes, size_t count);
void support_console_putc(int c);
void support_console_flush(void);

/// Flushes the console and ends the run; QEMU exits with `code`.
__attribute__((noreturn)) void support_exit(int32_t code);

/// A fault line: begin prints "FAULT: <kind> pc=0x...", field appends
/// " name=0x...", end appends the detail (may be NULL), a newline, and exits
/// with SUPPORT_EXIT_FAULT. A fault while reporting a fault exits at once.
void support_fault_begin(const char *kind, uint32_t pc);
void support_fault_field(const char *name, uint32_t value);
__attribute__((noreturn)) void support_fault_end(const char *detail);

/// The board's name (for Swift, which cannot import a C array).
const char *support_board(void);
/// Identity the optimizer cannot see through (console.c).
uint32_t support_opaque_u32(uint32_t value);

// MARK: - Measurement (the board's clock; stack.c)

/// A free-running tick counter for benchmarks (wraps at 2^32): SysTick on the
/// Arm boards (Support/systick.c), minstret on riscv32, the monotonic clock
/// in nanoseconds on the host builds. Under QEMU's `-icount shift=0` one
/// instruction takes one nanosecond of virtual time, so a difference of two
/// readings times board_clock_tick_ps()/1000 is an instruction count, to one
/// tick.
uint32_t board_clock_ticks(void);
/// Picoseconds per tick of board_clock_ticks().
uint32_t board_clock_tick_ps(void);

/// Fills the free stack below the caller's frame with a pattern; call it
/// first thing in firmware_main. support_stack_peak() then tells how many
/// bytes of the stack were ever used (0 where there is no painted stack).
void support_stack_paint(void);
uint32_t support_stack_peak(void);

// MARK: - Host link (semihosting.c)

/// Writes a NUL-terminated string to the host console.
void semihost_write0(const char *zstring);
/// Ends the QEMU process with `code`.
__attribute__((noreturn)) void semihost_exit(int32_t code);

#endif
