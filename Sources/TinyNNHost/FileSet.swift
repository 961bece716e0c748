#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIO {
    /// Writes several files as a set: every file first goes, atomically
    /// (``writeAtomically(_:to:)-(_,_)``), to a temporary name beside its
    /// target; only when all are written are they renamed over their
    /// targets, in order. A failure while writing removes the temporaries
    /// and leaves every target untouched; after that only a `rename` within
    /// one directory can fail.
    /// - Throws: ``FileError`` naming the file that failed.
    public static func writeAtomically(_ files: [(path: String, text: String)]) throws(FileError) {
        let suffix = ".tmp-set-\(getpid())"
        var written: [String] = []
        do {
            for file in files {
                try writeAtomically(file.text, to: file.path + suffix)
                written.append(file.path + suffix)
            }
        } catch {
            for temporary in written { unlink(temporary) }
            throw error
        }
        for (k, file) in files.enumerated() where rename(file.path + suffix, file.path) != 0 {
            let why = reason()
            for temporary in written[k...] { unlink(temporary) }
            throw FileError(file: file.path, problem: why)
        }
    }
}
