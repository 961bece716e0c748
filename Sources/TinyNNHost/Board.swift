import Foundation

/// A firmware target: a folder of `Firmware/Boards` with a `board.env`, the
/// one list of boards. `board.env` holds ``EnvFile`` lines; `link.ld`'s
/// `MEMORY` block gives the FLASH and RAM sizes.
public struct Board: Sendable, Equatable {
    /// How the firmware runs: under QEMU, or as a native program built with
    /// normal Swift (`host`, the reference) or Embedded Swift (`host-embedded`).
    public enum Kind: String, Sendable { case qemu, host, hostEmbedded = "host-embedded" }

    public let name: String
    public let directory: String
    /// Every `KEY=value` of `board.env`.
    public let settings: [String: String]

    public var kind: Kind { settings["BOARD_KIND"].flatMap(Kind.init(rawValue:)) ?? .qemu }
    public var description: String { settings["BOARD_DESCRIPTION"] ?? name }
    /// A setting split at blanks (`CLANG_FLAGS`, `QEMU_ARGS`, `SWIFT_DEFINES`); empty if unset.
    public func words(_ key: String) -> [String] {
        (settings[key] ?? "").split(separator: " ").map(String.init)
    }
    public func setting(_ key: String) -> String? { settings[key].flatMap { $0.isEmpty ? nil : $0 } }

    /// Reads `DIRECTORY/board.env`.
    public init(directory: String) throws(FileError) {
        let path = directory + "/board.env"
        let text = String(decoding: try FileIO.contents(of: path), as: UTF8.self)
        self.directory = directory
        name = URL(fileURLWithPath: directory).lastPathComponent
        settings = try EnvFile.parse(text, file: path)
    }

    /// Every board of `firmware/Boards`: the host builds first (the
    /// references), then the QEMU boards by name.
    public static func all(firmware: String) -> [String] {
        let dir = firmware + "/Boards"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/board.env") }.sorted { a, b in
            (a.hasPrefix("host") ? 0 : 1, a) < (b.hasPrefix("host") ? 0 : 1, b)
        }
    }

    /// FLASH and RAM lengths in bytes from `link.ld` (`LENGTH = 4M`, `256K`,
    /// `0x4000`); nil for the host builds or a script without them.
    public func memory() -> (flash: Int, ram: Int)? {
        guard let bytes = try? FileIO.contents(of: directory + "/link.ld") else { return nil }
        return Board.memory(linkerScript: String(decoding: bytes, as: UTF8.self))
    }

    public static func memory(linkerScript text: String) -> (flash: Int, ram: Int)? {
        func length(_ region: String) -> Int? {
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
                guard words.first == Substring(region), let k = words.firstIndex(of: "LENGTH"), k + 2 < words.count else { continue }
                var v = words[k + 2]
                var unit = 1
                if v.hasSuffix("K") { unit = 1024; v = v.dropLast() } else if v.hasSuffix("M") { unit = 1 << 20; v = v.dropLast() }
                let n = v.hasPrefix("0x") ? Int(v.dropFirst(2), radix: 16) : Int(v)
                return n.map { $0 * unit }
            }
            return nil
        }
        guard let f = length("FLASH"), let r = length("RAM") else { return nil }
        return (f, r)
    }
}
