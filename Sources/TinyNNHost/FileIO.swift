#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read or written, with the system's reason.
public struct FileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}

/// Whole-file reads, and writes that never leave a half-written file behind.
public enum FileIO {
    /// The bytes of the file at `path`.
    /// - Throws: ``FileError`` naming the file and the system's reason
    ///   ("No such file or directory", "Is a directory", …).
    public static func contents(of path: String) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(file: path, problem: reason()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(file: path, problem: reason())
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes `bytes` to `path` atomically: into a new temporary file in the
    /// same directory, flushed to disk, then renamed over `path`. A failure
    /// at any step removes the temporary file and leaves whatever was at
    /// `path` untouched.
    /// - Throws: ``FileError`` naming `path`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory).\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError(file: path, problem: "cannot create a file in its directory: \(reason())") }
        let temporary = String(cString: template.map { UInt8(bitPattern: $0) })
        var ok = false
        defer { if !ok { unlink(temporary) } }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let why = reason()
                close(fd)
                throw FileError(file: path, problem: "write failed: \(why)")
            }
            written += n
        }
        // mkstemp creates the file 0600; an output file is an ordinary 0644 (less the umask).
        let mask = umask(0); umask(mask)
        fchmod(fd, 0o666 & ~mask)
        guard fsync(fd) == 0, close(fd) == 0 else { throw FileError(file: path, problem: "write failed: \(reason())") }
        guard rename(temporary, path) == 0 else { throw FileError(file: path, problem: reason()) }
        ok = true
    }

    /// Writes UTF-8 text atomically; see ``writeAtomically(_:to:)-(_,_)``.
    public static func writeAtomically(_ text: String, to path: String) throws(FileError) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    static func reason() -> String { String(cString: strerror(errno)) }
}
