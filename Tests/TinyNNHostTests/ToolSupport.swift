import Foundation

/// What a child process did.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` in `directory`, its output captured
/// through files (pipes could fill up and block the child).
func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> ProcessResult {
    let scratch = try makeScratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let out = "\(scratch)/stdout", err = "\(scratch)/stderr"
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try p.run()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus,
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
