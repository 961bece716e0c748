import TinyNN

/// The train firmware's runs (`Firmware/Apps/train/runs.env`): one run per
/// prefix of `RUNS`, each with the `tinynn train` flags it mirrors. The one
/// reader of that file: the firmware's generated sources (``sources()``) and
/// the host reference (``Run/trainArguments``) both come from here.
public struct TrainRuns: Sendable {
    public struct Run: Sendable, Equatable {
        public var prefix: String, name: String, data: String, count: Int
        public var widths: [Int], activations: [Activation], loss: Loss
        /// nil: each layer's standard initializer.
        public var initializer: Initializer?
        public var initializerName: String
        public var learningRate: Float, etaText: String, batch: Int, epochs: Int, seed: UInt64

        /// `tinynn train` with this run's settings on `dataDirectory/data`
        /// (SGD, no input scaling, no validation split), without `--output`.
        public func trainArguments(dataDirectory: String) -> [String] {
            var a = ["train", "--data", "\(dataDirectory)/\(data)", "--layers", widths.map(String.init).joined(separator: ","),
                     "--activations", activations.map(\.name).joined(separator: ","), "--loss", loss.name,
                     "--optimizer", "sgd", "--eta", etaText, "--batch", "\(batch)", "--epochs", "\(epochs)",
                     "--seed", "\(seed)", "--scale", "none", "--validation-split", "0"]
            if initializer != nil { a += ["--init", initializerName] }
            return a
        }
    }

    public let runs: [Run]
    /// The folder of `runs.env` and the CSV files it names.
    public let directory: String

    /// Reads `DIRECTORY/runs.env`.
    public init(directory: String) throws(FileError) {
        let file = directory + "/runs.env"
        let env = try EnvFile.parse(String(decoding: try FileIO.contents(of: file), as: UTF8.self), file: file)
        self.directory = directory
        var runs: [Run] = []
        for prefix in (env["RUNS"] ?? "").split(separator: " ").map(String.init) {
            func value(_ key: String) throws(FileError) -> String {
                guard let v = env["\(prefix)_\(key)"], !v.isEmpty else {
                    throw FileError(file: file, problem: "\(prefix)_\(key) is not set")
                }
                return v
            }
            func number<T: LosslessStringConvertible>(_ key: String, _: T.Type) throws(FileError) -> T {
                let text = try value(key)
                guard let v = T(text) else { throw FileError(file: file, problem: "\(prefix)_\(key) '\(text)' is not a number") }
                return v
            }
            let widths = try value("LAYERS").split(separator: ",").compactMap { Int($0) }
            var activations: [Activation] = []
            for name in try value("ACTIVATIONS").split(separator: ",") {
                guard let a = Activation.named(String(name)) else {
                    throw FileError(file: file, problem: "\(prefix)_ACTIVATIONS: unknown activation '\(name)'")
                }
                activations.append(a)
            }
            let layers = widths.count - 1
            guard (2...3).contains(layers), activations.count == layers else {
                throw FileError(file: file, problem: "\(prefix): 2 or 3 layers with one activation each (withNetwork),"
                                + " not \(layers) layers and \(activations.count) activations")
            }
            let lossName = try value("LOSS"), initName = try value("INIT")
            guard let loss = (0...UInt8.max).lazy.compactMap(Loss.init(rawValue:)).first(where: { $0.name == lossName }) else {
                throw FileError(file: file, problem: "\(prefix)_LOSS: unknown loss '\(lossName)'")
            }
            let initializer: Initializer?
            switch initName {
            case "standard": initializer = nil
            case "gaussian": initializer = .gaussian(standardDeviation: 1)
            case "xavier": initializer = .xavier
            case "he": initializer = .he
            default: throw FileError(file: file, problem: "\(prefix)_INIT: unknown initializer '\(initName)'")
            }
            runs.append(Run(prefix: prefix, name: try value("NAME"), data: try value("DATA"), count: try number("COUNT", Int.self),
                            widths: widths, activations: activations, loss: loss, initializer: initializer,
                            initializerName: initName, learningRate: try number("ETA", Float.self), etaText: try value("ETA"),
                            batch: try number("BATCH", Int.self), epochs: try number("EPOCHS", Int.self),
                            seed: try number("SEED", UInt64.self)))
        }
        self.runs = runs
    }

    /// `TrainRuns.swift` (each run's layer types, whose widths must be
    /// literals, its settings and static storage) and `train_data.c` (each
    /// run's CSV, read as `tinynn train` reads it, as const arrays in flash).
    public func sources() throws(CSVError) -> [(name: String, text: String)] {
        var swift = "// Generated by tinynn (TrainRuns) from runs.env; do not edit.\nimport TinyNN\n"
        var c = "// Generated by tinynn (TrainRuns) from runs.env; do not edit.\n#include <stdint.h>\n"
        for r in runs {
            let path = "\(directory)/\(r.data)"
            let data = try CSVTable.read(path).dataset(labelColumn: .last, classCount: r.widths.last! == 1 ? 2 : r.widths.last!)
            guard data.featureCount == r.widths[0] else {
                throw CSVError(file: path, problem: "\(data.featureCount) features, \(r.prefix)_LAYERS takes \(r.widths[0])")
            }
            guard data.count == r.count else { throw CSVError(file: path, problem: "\(data.count) rows, runs.env says \(r.count)") }
            let n = r.name, type = n.prefix(1).uppercased() + n.dropFirst() + "Run", L = r.widths.count - 1
            c += "\n__attribute__((aligned(16))) static const float \(n)_inputs[\(r.count * r.widths[0])] = {\n"
            for i in 0..<data.count { c += "    " + data.sample(i).map { CHeader.literal($0, .decimal) }.joined(separator: ", ") + ",\n" }
            c += "};\nstatic const int32_t \(n)_labels[\(r.count)] = {"
            for (i, y) in data.labels.enumerated() { c += (i % 20 == 0 ? "\n    " : " ") + "\(y)," }
            c += "\n};\nconst float *train_\(n)_inputs(void) { return \(n)_inputs; }\n"
            c += "const int32_t *train_\(n)_labels(void) { return \(n)_labels; }\n"
            let initializer = switch r.initializer {
            case nil: "nil"
            case .gaussian(let s): ".gaussian(standardDeviation: \(Self.literal(s)))"
            case let i?: ".\(i)"
            }
            swift += """

                @_extern(c, "train_\(n)_inputs") func train_\(n)_inputs() -> UnsafePointer<Float>
                @_extern(c, "train_\(n)_labels") func train_\(n)_labels() -> UnsafePointer<Int32>

                /// \(r.prefix) in runs.env: \(r.widths.map(String.init).joined(separator: ",")) \
                \(r.activations.map(\.name).joined(separator: ",")), \(r.loss.name), init \(r.initializerName), SGD eta \(r.etaText),
                /// batch \(r.batch), \(r.epochs) epochs, seed \(r.seed), \(r.count) samples from \(r.data).
                enum \(type) {

                """
            for l in 1...L { swift += "    typealias Layer\(l) = Dense<\(r.widths[l - 1]), \(r.widths[l])>\n" }
            swift += """
                    static let name: StaticString = "\(n)"
                    static let shape: StaticString = "\(r.widths.map(String.init).joined(separator: ","))"
                    static let settings = TrainingRun(
                        loss: .\(r.loss), initializer: \(initializer),
                        learningRate: \(Self.literal(r.learningRate)), batchSize: \(r.batch),
                        epochs: \(r.epochs), seed: \(r.seed),
                        count: \(r.count), inputs: train_\(n)_inputs(), labels: train_\(n)_labels())
                }

                """
            for l in 1...L {
                swift += "nonisolated(unsafe) var \(n)Layer\(l) = \(type).Layer\(l)(activation: .\(r.activations[l - 1]))\n"
            }
            let layers = (1...L).map { "&\(n)Layer\($0), " }.joined()
            swift += """
                nonisolated(unsafe) var \(n)Order = InlineArray<\(r.count), Int32>(repeating: 0)
                nonisolated(unsafe) var \(n)BatchInputs = InlineArray<\(r.batch * r.widths[0]), Float>(repeating: 0)
                nonisolated(unsafe) var \(n)BatchTargets = InlineArray<\(r.batch * r.widths[L]), Float>(repeating: 0)

                func train\(type)() -> Bool {
                    withPointer(&\(n)Order) { order in withPointer(&\(n)BatchInputs) { x in withPointer(&\(n)BatchTargets) { y in
                        train(\(type).name, \(type).shape, \(layers)settings: \(type).settings, order: order, batchInputs: x, batchTargets: y)
                    } } }
                }

                """
        }
        swift += "\n/// Every run in runs.env order; false if one failed.\nfunc trainAll() -> Bool {\n    var ok = true\n"
        for r in runs { swift += "    ok = train\(r.name.prefix(1).uppercased() + r.name.dropFirst())Run() && ok\n" }
        swift += "    return ok\n}\n"
        return [("TrainRuns.swift", swift), ("train_data.c", c)]
    }

    /// A Swift hexadecimal float literal, `0x1p-1`: exact, where a decimal
    /// literal could round twice (through Double).
    static func literal(_ x: Float) -> String { String(CHeader.literal(x, .hex).dropLast()) }
}

/// `KEY=value` lines, `KEY="value with blanks"`, blank lines and `#`
/// comments: the format of `board.env` and `runs.env` (which a shell could
/// also source).
public enum EnvFile {
    public static func parse(_ text: String, file: String) throws(FileError) -> [String: String] {
        var settings: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex,
                  line[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw FileError(file: file, problem: "line \(n + 1): expected KEY=value, got '\(line)'")
            }
            var value = line[line.index(after: eq)...]
            while value.last == " " || value.last == "\t" { value = value.dropLast() }
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else {
                    throw FileError(file: file, problem: "line \(n + 1): unterminated quote")
                }
                value = value.dropFirst().dropLast()
            }
            settings[String(line[..<eq])] = String(value)
        }
        return settings
    }
}
