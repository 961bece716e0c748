#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output files of one command, committed together or not at all.
///
/// Created before any long work starts, it refuses an empty path, a path
/// whose directory is missing, not a directory or not writable, a path that
/// is a directory, and two outputs, or an output and an input, that are one
/// file once resolved (`realpath`, symbolic links followed: `o.tnn` and
/// `./o.tnn`, or a link and its target; or one device and inode: a hard
/// link). ``stage(_:for:)`` writes each
/// output to a temporary file beside its target; ``commit()`` renames them
/// all only when every one was written, as one step (``CommitJournal``:
/// even SIGKILL mid-commit leaves all old or, once any `tinynn` command
/// names one of the files again, all new). Until then nothing at an output path
/// changes: a failure, an early exit (the set's deinit) or SIGINT/SIGTERM
/// (``TemporaryFiles``) removes the temporaries. A symbolic link at an output
/// path is written through: the file it points to is replaced atomically.
public final class OutputSet {
    public struct Output: Sendable {
        /// As given on the command line.
        public var path: String
        /// The absolute file the path resolves to.
        public var target: String
    }
    public private(set) var outputs: [Output] = []
    /// Staged temporary file for each output (by index), nil until staged.
    private var staged: [String?]
    private var committed = false

    /// - Parameters:
    ///   - paths: the outputs, as the user named them.
    ///   - inputs: files the command reads, which no output may replace
    ///     (inputs that do not exist are ignored here; reading reports them).
    /// - Throws: ``FileError`` naming the path (``FileError/isCommandLine``
    ///   for an empty path and for two names of one file).
    public init(_ paths: [String], inputs: [String] = []) throws(FileError) {
        // Files by resolved path, and by device and inode (a hard link is another path to one file).
        var seen: [String: String] = [:], seenFiles: [FileID: String] = [:]
        for input in inputs where !input.isEmpty {
            guard let real = OutputSet.realPath(input) else { continue }
            CommitJournal.recover(real)
            seen[real] = seen[real] ?? "the input \(input)"
            if let id = FileID(real) { seenFiles[id] = seenFiles[id] ?? "the input \(input)" }
        }
        for path in paths {
            let target = try OutputSet.resolve(path)
            CommitJournal.recover(target)
            let id = FileID(target)
            if let other = seen[target] ?? id.flatMap({ seenFiles[$0] }) {
                throw FileError(file: path, problem: "is the same file as \(other); name a different output",
                                isCommandLine: true)
            }
            seen[target] = "the output \(path)"
            if let id { seenFiles[id] = "the output \(path)" }
            outputs.append(Output(path: path, target: target))
        }
        staged = Array(repeating: nil, count: paths.count)
    }

    deinit { if !committed { discard() } }

    /// Writes the contents of output `path` to its temporary file.
    public func stage(_ bytes: [UInt8], for path: String) throws(FileError) {
        guard let k = outputs.firstIndex(where: { $0.path == path }) else {
            preconditionFailure("\(path) is not an output of this set")
        }
        if let old = staged[k] { FileIO.discard(old) }
        staged[k] = try FileIO.stage(bytes, nextTo: outputs[k].target, naming: path)
        TestHook.step("stage")
    }

    public func stage(_ text: String, for path: String) throws(FileError) { try stage(Array(text.utf8), for: path) }

    /// Renames every staged file over its target, as one step: one output by
    /// one `rename`, several through a ``CommitJournal`` (a process killed
    /// in the middle leaves a journal, and the next `tinynn` command that
    /// names any of the files finishes the renames before it reads them).
    /// - Precondition: every output was staged.
    public func commit() throws(FileError) {
        precondition(staged.allSatisfy { $0 != nil }, "every output is staged before the set is committed")
        let pairs = staged.enumerated().map { (temporary: $0.element!, target: outputs[$0.offset].target) }
        if pairs.count == 1 {
            TestHook.step("staged")
            try FileIO.commit(pairs[0].temporary, to: pairs[0].target, naming: outputs[0].path)
            TestHook.step("rename")
        } else if let failure = CommitJournal.commit(pairs) {
            if failure.renamed { staged = staged.map { _ in nil } }
            throw FileError(file: outputs[failure.index].path, problem: failure.reason)
        }
        staged = staged.map { _ in nil }
        committed = true
    }

    /// A file's identity: device and inode.
    struct FileID: Hashable {
        var device: UInt64, inode: UInt64
        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev); inode = UInt64(info.st_ino)
        }
    }

    /// Removes every staged temporary file; nothing at the outputs changes.
    public func discard() {
        for (k, temporary) in staged.enumerated() {
            if let temporary { FileIO.discard(temporary) }
            staged[k] = nil
        }
    }

    // MARK: - Paths

    /// `realpath(path)`, or nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The absolute file a write to `path` replaces: symbolic links followed
    /// (also dangling ones, to the file they would create), the directory
    /// checked to exist and be writable.
    /// - Throws: ``FileError`` if `path` is empty, is a directory, or its
    ///   directory is missing, not a directory or not writable.
    public static func resolve(_ path: String) throws(FileError) -> String {
        guard !path.isEmpty else { throw FileError(file: "''", problem: "an empty output path", isCommandLine: true) }
        var current = path
        for _ in 0..<40 {
            var info = stat()
            if lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &buffer, buffer.count - 1)
                guard n > 0 else { throw FileError(file: path, problem: FileIO.reason()) }
                let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
                continue
            }
            return try resolveFile(current, naming: path)
        }
        throw FileError(file: path, problem: "too many levels of symbolic links")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` is not a symbolic link: its real directory + its name.
    static func resolveFile(_ path: String, naming name: String) throws(FileError) -> String {
        let dir = directory(of: path)
        var info = stat()
        guard stat(dir, &info) == 0 else {
            // The nearest ancestor that exists says what is wrong: missing, or a file where a directory should be.
            var up = dir
            while up != "." && up != "/" {
                up = directory(of: up)
                var a = stat()
                if stat(up, &a) == 0 {
                    if (a.st_mode & S_IFMT) != S_IFDIR { throw FileError(file: name, problem: "'\(up)' is not a directory") }
                    break
                }
            }
            if errno == ENOTDIR { throw FileError(file: name, problem: "a parent of it is not a directory") }
            throw FileError(file: name, problem: "directory '\(dir)' does not exist")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw FileError(file: name, problem: "'\(dir)' is not a directory") }
        guard access(dir, W_OK) == 0 else { throw FileError(file: name, problem: "directory '\(dir)' is not writable") }
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(file: name, problem: "is a directory") }
        guard let real = realPath(dir) else { throw FileError(file: name, problem: FileIO.reason()) }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard base != "." && base != ".." else { throw FileError(file: name, problem: "is a directory") }
        return (real == "/" ? "" : real) + "/" + base
    }
}
