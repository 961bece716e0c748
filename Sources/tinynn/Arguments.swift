/// What went wrong, and so the exit code: 2 for a command line that cannot
/// be right, 1 for anything else (bad data, a missing file, a damaged model).
/// `main` prints the message as one line, `tinynn: message`.
enum Failure: Error {
    case usage(String)
    case data(String)

    var exitCode: Int32 {
        switch self { case .usage: 2; case .data: 1 }
    }
    var message: String {
        switch self { case .usage(let m), .data(let m): m }
    }
}

/// One `--flag` a command accepts, documented where it is declared so the
/// help text and the parser cannot disagree.
struct Flag: Sendable {
    var name: String
    /// The value's placeholder (`N`, `FILE`); nil for a switch without a value.
    var value: String?
    var help: String

    init(_ name: String, _ value: String?, _ help: String) {
        self.name = name; self.value = value; self.help = help
    }
}

/// A subcommand: its flags, its help text, and what it does.
struct Command: Sendable {
    var name: String
    /// One line for `tinynn help`.
    var summary: String
    /// The synopsis after `tinynn `, e.g. `eval MODEL --data FILE.csv`.
    var synopsis: String
    /// Names the positional arguments accepted, e.g. `["MODEL"]`.
    var positionals: [String] = []
    var flags: [Flag]
    /// Paragraphs shown between the synopsis and the flags.
    var details: String = ""
    var examples: [String]
    var run: @Sendable (Arguments) throws(Failure) -> Void
}

/// A parsed command line: `--flag value` or `--flag=value`, switches, and
/// positional arguments, checked against a ``Command``.
struct Arguments {
    let command: Command
    private(set) var values: [String: String] = [:]
    private(set) var positionals: [String] = []

    /// - Throws: ``Failure/usage(_:)`` for an unknown flag, a flag given twice,
    ///   a missing value or too many positional arguments.
    init(_ words: [String], for command: Command) throws(Failure) {
        self.command = command
        var k = 0
        while k < words.count {
            let word = words[k]
            k += 1
            guard word.hasPrefix("-"), word.count > 1, Double(word) == nil else {
                guard positionals.count < command.positionals.count else {
                    throw usage("unexpected argument '\(word)' for '\(command.name)'")
                }
                positionals.append(word)
                continue
            }
            var name = word, inline: String? = nil
            if let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq]); inline = String(word[word.index(after: eq)...])
            }
            guard let flag = command.flags.first(where: { $0.name == name }) else {
                throw usage("unknown flag \(name) for '\(command.name)'")
            }
            guard values[name] == nil else { throw usage("\(name) given twice") }
            if flag.value == nil {
                guard inline == nil else { throw usage("\(name) takes no value") }
                values[name] = ""
            } else if let inline {
                values[name] = inline
            } else {
                guard k < words.count else { throw usage("\(name) needs a value \(flag.value!)") }
                values[name] = words[k]
                k += 1
            }
        }
    }

    /// A usage failure that points at this command's help.
    func usage(_ message: String) -> Failure {
        .usage("\(message) (see 'tinynn help \(command.name)')")
    }

    func has(_ name: String) -> Bool { values[name] != nil }

    func string(_ name: String) -> String? { values[name] }

    func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(Failure) -> Int {
        guard let text = values[name] else { return fallback }
        guard let v = Int(text), range.contains(v) else {
            throw usage("\(name) needs a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return v
    }

    func uint64(_ name: String, default fallback: UInt64) throws(Failure) -> UInt64 {
        guard let text = values[name] else { return fallback }
        guard let v = UInt64(text) else { throw usage("\(name) needs a whole number ≥ 0, got '\(text)'") }
        return v
    }

    /// A finite number in `range` (an open lower end if `above` is set).
    func float(_ name: String, default fallback: Float, range: ClosedRange<Float>, above: Bool = false) throws(Failure) -> Float {
        guard let text = values[name] else { return fallback }
        guard let v = Float(text), v.isFinite, range.contains(v), !(above && v == range.lowerBound) else {
            let lower = above ? "> \(range.lowerBound)" : "≥ \(range.lowerBound)"
            let upper = range.upperBound == .greatestFiniteMagnitude ? "" : " and ≤ \(range.upperBound)"
            throw usage("\(name) needs a number \(lower)\(upper), got '\(text)'")
        }
        return v
    }

    /// One of `choices` (matched exactly).
    func choice<T>(_ name: String, _ choices: [(String, T)]) throws(Failure) -> T? {
        guard let text = values[name] else { return nil }
        guard let match = choices.first(where: { $0.0 == text }) else {
            throw usage("\(name) must be one of \(choices.map(\.0).joined(separator: ", ")), got '\(text)'")
        }
        return match.1
    }
}
