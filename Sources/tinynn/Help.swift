/// `tinynn help [COMMAND]`: the overview, or one command's synopsis, flags
/// and examples, rendered from the same ``Command`` tables the parser uses.
enum Help {
    static var overview: String {
        var s = """
            tinynn: train small fixed-size neural networks on the host; export them for
            microcontrollers, where they compute the same bits.

            usage: tinynn COMMAND [ARGUMENTS] [--FLAG VALUE ...]

            commands:

            """
        for c in Commands.all { s += "  \(c.name.padding(9))\(c.summary)\n" }
        s += """
              help     this overview; 'tinynn help COMMAND' lists a command's flags and examples

            Flags take a value as '--flag value' or '--flag=value'; '-h' or '--help' after a
            command shows its help. Exit status: 0 done, 1 bad data or files, 2 bad command line.
            """
        return s + "\n"
    }

    static func text(for c: Command) -> String {
        var s = "usage: tinynn \(c.synopsis)\n\n\(c.summary).\n"
        if !c.details.isEmpty { s += "\n" + c.details + "\n" }
        if !c.flags.isEmpty {
            s += "\nflags:\n"
            for f in c.flags {
                s += "  \(f.name)\(f.value.map { " \($0)" } ?? "")\n"
                s += wrap(f.help, indent: 6, width: 92)
            }
        }
        s += "\nexample\(c.examples.count == 1 ? "" : "s"):\n"
        for e in c.examples { s += "  \(e)\n" }
        return s
    }

    /// Words of `text` in lines of at most `width` columns, indented.
    static func wrap(_ text: String, indent: Int, width: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = "", line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && indent + line.count + 1 + word.count > width { out += pad + line + "\n"; line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        return line.isEmpty ? out : out + pad + line + "\n"
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
