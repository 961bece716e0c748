import Foundation

/// What a child process did.
struct ProcessResult {
    /// The exit status, or the signal's number when `signaled`.
    var status: Int32
    /// Whether a signal ended the process.
    var signaled = false
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` in `directory`, its output captured
/// through files (pipes could fill up and block the child).
/// `environment` is added to this process's.
func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil,
                environment: [String: String] = [:]) throws -> ProcessResult {
    let scratch = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let out = "\(scratch)/stdout", err = "\(scratch)/stderr"
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try p.run()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
                         stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// A new empty directory under the system's temporary directory.
func makeScratchDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "tinynn-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The first of `names` found on the PATH (or given as an absolute path).
func findTool(_ names: String...) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for name in names {
        if name.hasPrefix("/") { if FileManager.default.isExecutableFile(atPath: name) { return name } else { continue } }
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
    }
    return nil
}

/// The `tinynn` executable built beside this test bundle (`swift test` builds
/// every product of the package into the same directory).
let tinynnPath: String = {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
    // On macOS the test binary sits inside X.xctest/Contents/MacOS.
    while dir.path.contains(".xctest") { dir.deleteLastPathComponent() }
    return dir.appendingPathComponent("tinynn").path
}()

/// Runs `executable` in `directory` with every signal unblocked and at its
/// default (the test runner's threads block all signals, and `Process`
/// passes that mask on, so a child could not be stopped by SIGTERM), output
/// discarded; returns the exit status or, when `signaled`, the signal.
func runUnblocked(_ executable: String, _ arguments: [String], in directory: String,
                  environment: [String: String] = [:]) -> (status: Int32, signaled: Bool) {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none); sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let words = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
    var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid = pid_t()
    guard posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, &envp) == 0 else { return (127, false) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status & 0x7f != 0 ? (status & 0x7f, true) : ((status >> 8) & 0xff, false)
}
