/// The package's root directory, found from this file's path, so tests read
/// the bundled data wherever the clone is.
let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/TinyNNHostTests/TestSupport.swift
    return parts.joined(separator: "/")
}()
