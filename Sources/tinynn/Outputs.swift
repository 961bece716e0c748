import TinyNNHost

/// Output files: checked before any long work starts (``OutputSet``), all
/// staged to temporary files, then renamed together at the end.
enum Outputs {
    /// The set of `paths`, none of which may be one of `inputs`.
    /// - Throws: a usage failure (exit 2) for an empty path or two names of one
    ///   file, a data failure (exit 1) for a missing or unwritable directory.
    static func set(_ paths: [String], inputs: [String], _ args: Arguments) throws(Failure) -> OutputSet {
        do { return try OutputSet(paths, inputs: inputs) } catch {
            throw error.isCommandLine ? args.usage(error.description) : .data(error.description)
        }
    }

    static func stage(_ text: String, for path: String, in set: OutputSet) throws(Failure) {
        do { try set.stage(text, for: path) } catch { throw .data(error.description) }
    }

    static func stage(_ bytes: [UInt8], for path: String, in set: OutputSet) throws(Failure) {
        do { try set.stage(bytes, for: path) } catch { throw .data(error.description) }
    }

    static func commit(_ set: OutputSet) throws(Failure) {
        do { try set.commit() } catch { throw .data(error.description) }
    }

    /// The base name of a path, for comments and titles.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
