#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read or written, with the system's reason.
public struct FileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    /// The command line itself is wrong (an empty path, two outputs or an
    /// output and an input naming one file), not the file system.
    public var isCommandLine = false
    public var description: String { "\(file): \(problem)" }

    public init(file: String, problem: String, isCommandLine: Bool = false) {
        self.file = file; self.problem = problem; self.isCommandLine = isCommandLine
    }
}

/// Bounded whole-file reads, and writes that never leave a half-written file behind.
public enum FileIO {
    /// The largest file ``contents(of:limit:)`` reads by default: 256 MiB, far
    /// above any data set the tools handle in memory (MNIST's training images
    /// are 47 MB uncompressed), and small enough that `/dev/zero` or a huge
    /// file fails in a moment with one line instead of exhausting memory.
    public static let maxReadBytes = 256 << 20

    /// The bytes of the file at `path`, at most `limit` of them.
    /// - Throws: ``FileError`` naming the file and the system's reason
    ///   ("No such file or directory", "Is a directory", …), or that the
    ///   file is larger than `limit` (checked from its size before reading
    ///   when it has one, and while reading for devices and pipes).
    ///   Before reading, an interrupted commit of the file's output set is
    ///   finished (``CommitJournal/recover(_:)``) unless `recovering` is false.
    public static func contents(of path: String, limit: Int = maxReadBytes,
                                recovering: Bool = true) throws(FileError) -> [UInt8] {
        if recovering, let real = OutputSet.realPath(path) { CommitJournal.recover(real) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(file: path, problem: reason()) }
        defer { close(fd) }
        func tooLarge() -> FileError {
            FileError(file: path, problem: "larger than \(limit >> 20) MiB, the most tinynn reads from one file")
        }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(file: path, problem: "Is a directory") }
            if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit { throw tooLarge() }
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(file: path, problem: reason())
            }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { throw tooLarge() }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes `bytes` to `path` atomically: into a new temporary file in the
    /// same directory, flushed to disk, then renamed over `path`. A symbolic
    /// link at `path` is written through: its target is replaced. A failure
    /// at any step, or SIGINT/SIGTERM/SIGHUP meanwhile, removes the temporary
    /// file and leaves whatever was at `path` untouched.
    /// - Throws: ``FileError`` naming `path`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
        let target = try OutputSet.resolve(path)
        CommitJournal.recover(target)
        let temporary = try stage(bytes, nextTo: target, naming: path)
        try commit(temporary, to: target, naming: path)
    }

    /// Writes UTF-8 text atomically; see ``writeAtomically(_:to:)-(_,_)``.
    public static func writeAtomically(_ text: String, to path: String) throws(FileError) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    /// Writes `bytes` into a new temporary file `.NAME.tmp-PID-XXXXXX` beside
    /// `target`, flushed to disk, mode 0666 less the umask, registered with
    /// ``TemporaryFiles`` so a signal removes it; returns its path.
    /// - Parameter name: the path the user gave, for errors.
    static func stage(_ bytes: [UInt8], nextTo target: String, naming name: String) throws(FileError) -> String {
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[...$0]) } ?? ""
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        // The pid lets a later run remove what a killed process left (CommitJournal.recover).
        var template = Array("\(directory).\(base).tmp-\(getpid())-XXXXXX".utf8CString)
        TemporaryFiles.installHandlers()
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError(file: name, problem: "cannot create a file in its directory: \(reason())") }
        let temporary = String(cString: template.map { UInt8(bitPattern: $0) })
        TemporaryFiles.register(temporary)
        var ok = false
        defer { if !ok { discard(temporary) } }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let why = reason()
                close(fd)
                throw FileError(file: name, problem: "write failed: \(why)")
            }
            written += n
        }
        // mkstemp creates the file 0600; an output file is an ordinary 0644 (less the umask).
        let mask = umask(0); umask(mask)
        fchmod(fd, 0o666 & ~mask)
        guard fsync(fd) == 0, close(fd) == 0 else { throw FileError(file: name, problem: "write failed: \(reason())") }
        ok = true
        return temporary
    }

    /// Renames a staged temporary file over `target` (removing it on failure).
    static func commit(_ temporary: String, to target: String, naming name: String) throws(FileError) {
        guard rename(temporary, target) == 0 else {
            let why = reason()
            discard(temporary)
            throw FileError(file: name, problem: why)
        }
        TemporaryFiles.unregister(temporary)
    }

    /// Removes a staged temporary file.
    static func discard(_ temporary: String) {
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
    }

    /// Flushes the directory holding `path`, so the renames in it are on disk.
    static func syncDirectory(of path: String) {
        let fd = open(OutputSet.directory(of: path), O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func reason() -> String { String(cString: strerror(errno)) }
}
