#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TinyNNHost

/// Output files: checked before any long work starts, written atomically
/// (``FileIO/writeAtomically(_:to:)-(_,_)``) at the end.
enum Outputs {
    /// Fails unless `path` can be created or replaced: its directory exists
    /// and is writable, and `path` is not a directory.
    static func checkWritable(_ path: String) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .data("\(path): directory '\(directory)' does not exist")
        }
        guard access(directory, W_OK) == 0 else { throw .data("\(path): directory '\(directory)' is not writable") }
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw .data("\(path): is a directory") }
    }

    static func write(_ text: String, to path: String) throws(Failure) {
        do { try FileIO.writeAtomically(text, to: path) } catch { throw .data(error.description) }
    }

    /// The base name of a path, for comments and titles.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
