#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The subcommands, in the order `tinynn help` lists them.
enum Commands {
    static let all: [Command] = [
        TrainCommand.command, EvalCommand.command, PredictCommand.command, InfoCommand.command, ExportCommand.command,
        QuantizeCommand.command,
        ImportCommand.command, VectorsCommand.command, VerifyCommand.command, FirmwareCommand.command,
    ]

    /// Runs the command line `words` (without the program name) and returns
    /// the exit status; every failure is one line on standard error.
    static func main(_ words: [String]) -> Int32 {
        guard let first = words.first else {
            standardError(Help.overview)
            return 2
        }
        if first == "help" || first == "-h" || first == "--help" {
            guard words.count > 1 else { print(Help.overview, terminator: ""); return 0 }
            guard let c = all.first(where: { $0.name == words[1] }), words.count == 2 else {
                return fail(.usage("unknown command '\(words.dropFirst().joined(separator: " "))' (see 'tinynn help')"))
            }
            print(Help.text(for: c), terminator: "")
            return 0
        }
        guard let c = all.first(where: { $0.name == first }) else {
            return fail(.usage("unknown command '\(first)' (see 'tinynn help')"))
        }
        let rest = Array(words.dropFirst())
        if rest.contains("-h") || rest.contains("--help") { print(Help.text(for: c), terminator: ""); return 0 }
        do {
            try c.run(try Arguments(rest, for: c))
            return 0
        } catch {
            return fail(error)
        }
    }

    static func fail(_ f: Failure) -> Int32 {
        // One line, whatever a file name or an echoed field holds.
        let line = f.message.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? $0.escaped(asASCII: true) : String($0) }
        standardError("tinynn: \(line.joined())\n")
        return f.exitCode
    }
}

/// Writes to standard error, after whatever standard output holds.
func standardError(_ text: String) {
    fflush(nil)
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
        if n <= 0 { if errno == EINTR { continue }; return }
        bytes = bytes.dropFirst(n)
    }
}

exit(Commands.main(Array(CommandLine.arguments.dropFirst())))
