import Foundation

/// Runs a built firmware: under QEMU (`QEMU` and `QEMU_ARGS` of the board;
/// output and exit code over semihosting), or natively for the host builds.
/// The exit code is the firmware's (0 pass, 1 failure, 3 fault), 124 when it
/// timed out.
public struct FirmwareRun {
    public var board: Board
    public var elf: String
    /// `-icount shift=0`: one instruction per nanosecond of virtual time, so counts repeat.
    public var icount = false
    public var timeout = 60

    public init(board: Board, elf: String) { self.board = board; self.elf = elf }

    /// The command line, under `timeout`.
    public var command: [String] {
        var c = ["-k", "5", "\(timeout)"]
        guard board.kind == .qemu else { return c + [elf] }
        // Semihosting output to a stdio chardev (without one QEMU writes it to
        // stderr); no display, monitor or serial port.
        c += [board.settings["QEMU"] ?? "qemu"] + board.words("QEMU_ARGS")
            + ["-display", "none", "-monitor", "none", "-serial", "none", "-chardev", "stdio,id=semihosting",
               "-semihosting-config", "enable=on,target=native,chardev=semihosting", "-kernel", elf]
        if icount { c += ["-icount", "shift=0"] }
        return c
    }

    /// Whether the board's QEMU is installed; nil if it is, else the message.
    public func missingEmulator() -> String? {
        guard board.kind == .qemu, let qemu = board.settings["QEMU"] else { return nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        if path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(qemu)") }) { return nil }
        return "\(qemu) not found: run Scripts/setup (installs \(board.settings["QEMU_PACKAGE"] ?? qemu))"
    }

    /// Runs it; its output is captured, or passed to `stdout`; its messages go to standard error.
    public func run(stdout: FileHandle? = nil) -> (status: Int32, output: String) {
        let r = Shell.run("/usr/bin/timeout", command, errorsTo: .standardError, stdout: stdout)
        return (r.status, r.stdout)
    }
}
