import Foundation

/// Runs a program and waits for it: the firmware build's compilers and
/// linker, QEMU, the LLVM tools.
public enum Shell {
    /// Where a child's standard error goes.
    public enum ErrorOutput { case captured, standardError }

    /// - Parameters:
    ///   - stdout: a file handle to pass the child's standard output to (not
    ///     captured then), or nil to capture it.
    /// - Returns: the exit status (128 + signal when killed, 127 when it could
    ///   not start) and what was captured.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           errorsTo errors: ErrorOutput = .captured, stdout: FileHandle? = nil)
        -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        if let environment { p.environment = environment }
        p.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        p.standardOutput = stdout ?? out
        p.standardError = errors == .captured ? err : FileHandle.standardError
        do { try p.run() } catch { return (127, "", "\(program): \(error)") }
        // Both pipes drained at once, so that neither fills while the other is read.
        final class Box: @unchecked Sendable { var data = Data() }
        let errData = Box()
        let group = DispatchGroup()
        if errors == .captured {
            let handle = err.fileHandleForReading
            group.enter()
            DispatchQueue.global().async { errData.data = handle.readDataToEndOfFile(); group.leave() }
        }
        let outData = stdout == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        group.wait()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return (status, String(decoding: outData, as: UTF8.self), String(decoding: errData.data, as: UTF8.self))
    }
}
