// host: what the boards' startup code and Firmware/Support provide to an
// app, on Linux stdio, so that the same app source runs natively. A trap or
// crash prints the same kind of "FAULT: ..." line and exits with 3.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "support.h"

// Boards/host-embedded includes this file with its own name.
#ifndef HOST_BOARD_NAME
#define HOST_BOARD_NAME "host (x86-64-v3, normal Swift)"
#endif
const char support_board_name[] = HOST_BOARD_NAME;

const char *support_board(void) { return support_board_name; }
uint32_t support_opaque_u32(uint32_t value) { return value; }

void support_console_write(const uint8_t *bytes, size_t count) { fwrite(bytes, 1, count, stdout); }
void support_console_putc(int c) { fputc(c, stdout); }
void support_console_flush(void) { fflush(stdout); }

// The benchmark clock: host time in nanoseconds (no instruction count here).
uint32_t board_clock_ticks(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint32_t)((uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec);
}
uint32_t board_clock_tick_ps(void) { return 1000; }

// The host's stack is the process's: no high-water mark.
void support_stack_paint(void) {}
uint32_t support_stack_peak(void) { return 0; }

void support_exit(int32_t code) {
    fflush(stdout);
    exit(code);
}

static void on_fault(int signal_number, siginfo_t *info, void *context) {
    (void)info;
    uintptr_t pc = (uintptr_t)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
    const char *detail = "";
    // Swift's trap on x86-64 is ud2 (0f 0b).
    if (signal_number == SIGILL && memcmp((const void *)pc, "\x0f\x0b", 2) == 0)
        detail = " (trap: a Swift runtime check failed)";
    fflush(stdout);
    char line[160];
    int n = snprintf(line, sizeof line, "FAULT: SIG%s pc=0x%lx%s\n", sigabbrev_np(signal_number),
                     (unsigned long)pc, detail);
    if (write(STDOUT_FILENO, line, (size_t)n) < 0) _exit(SUPPORT_EXIT_FAULT);
    _exit(SUPPORT_EXIT_FAULT);
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO;
    const int signals[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, 0);
    support_exit(firmware_main());
}
