import TinyNN

/// The inference firmware's generated sources for a model (`tinynn export
/// --swift`, and the firmware build of the inference and bench apps).
///
/// Swift's integer generic parameters must be literals, so the layer types
/// (`FlashDense<64, 32>`) are written out per model in `BuiltModel.swift`,
/// with the forward pass of `NetworkView.forward` unrolled so that each
/// layer's activation is a constant and only those activations are linked.
/// `model.h` is the model's C header (``CHeader``, name `model`), included by
/// `model_glue.c`, which gives Swift plain functions to reach its arrays (C
/// arrays import as tuples) and decides, from the header's own macros, whether
/// it is the network `BuiltModel.swift` was generated for.
public struct InferenceSources: Sendable {
    /// The widths and activations the firmware is compiled for.
    public struct Shape: Sendable, Equatable, CustomStringConvertible {
        public var widths: [Int]
        public var activations: [Activation]
        public var layerCount: Int { widths.count - 1 }
        /// `64-32-10`.
        public var widthsText: String { widths.map(String.init).joined(separator: "-") }
        /// `64-32-10 (sigmoid, softmax)`.
        public var description: String { "\(widthsText) (\(activations.map(\.name).joined(separator: ", ")))" }

        public init(widths: [Int], activations: [Activation]) {
            self.widths = widths; self.activations = activations
        }

        /// `64-32-10` or `64-32-10:sigmoid,softmax`; without activations, each
        /// layer takes `model`'s (the last one's past its depth).
        public init(parsing spec: String, model: Shape) throws(NetworkError) {
            let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let widths = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard widths.count >= 2, widths.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw .badShape("--shape '\(spec)': expected widths and optional activations, e.g. 64-32-10:sigmoid,softmax")
            }
            self.widths = widths.map { $0! }
            let layers = self.widths.count - 1
            if parts.count == 2 {
                var a: [Activation] = []
                for name in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                    guard let x = Activation.named(String(name)) else {
                        throw .badShape("--shape '\(spec)': unknown activation '\(name)'")
                    }
                    a.append(x)
                }
                guard a.count == layers else { throw .badShape("--shape '\(spec)': one activation per layer") }
                activations = a
            } else {
                activations = (0..<layers).map { $0 < model.activations.count ? model.activations[$0] : model.activations.last! }
            }
        }
    }

    /// The file names and texts: `BuiltModel.swift`, `model.h`,
    /// `model_glue.c`, and with vectors `vectors.h`, `vectors_glue.c`.
    public var files: [(name: String, text: String)] = []

    /// Layer counts the firmware wires (`withBuiltNetwork` nests one closure per layer).
    public static let layerRange = 1...3

    /// - Parameters:
    ///   - model: the network whose header the firmware includes.
    ///   - shape: the shape to compile for (default the model's); another one
    ///     builds a firmware whose start-up check refuses the header.
    ///   - vectorsHeader: a header from ``TestVectors/header()``, copied in.
    ///   - app: the name the start-up line begins with.
    public init(model: Model, source: String, shape given: Shape? = nil, vectorsHeader: String? = nil,
                app: String = "inference") throws(NetworkError) {
        let net = model.network
        let own = Shape(widths: net.widths, activations: net.activations)
        let shape = given ?? own
        guard Self.layerRange.contains(shape.layerCount) else {
            throw .badShape("\(shape.layerCount) layers: the firmware wires \(Self.layerRange.lowerBound)"
                                + " to \(Self.layerRange.upperBound) (withBuiltNetwork)")
        }
        files.append(("BuiltModel.swift", Self.swift(shape, source: source)))
        files.append(("model.h", CHeader.render(model, name: "model", source: source)))
        let mismatch = own.widths == shape.widths
            ? "\(app): model header is \(own) but this firmware was built for \(shape)"
            : "\(app): model header is \(own.widthsText) but this firmware was built for \(shape.widthsText)"
        files.append(("model_glue.c", Self.glue(shape, mismatch: mismatch)))
        if let vectorsHeader {
            guard let features = TestVectors.featureCount(inHeader: vectorsHeader) else {
                throw .badShape("the vectors are not a header from tinynn vectors (no TINYNN_VECTORS_FEATURES)")
            }
            guard features == shape.widths[0] else {
                throw .badShape("the test vectors have \(features) features but the model takes \(shape.widths[0])")
            }
            files.append(("vectors.h", vectorsHeader))
            files.append(("vectors_glue.c", """
                // Generated by tinynn (InferenceSources); do not edit.
                #include <stdint.h>
                #include "vectors.h"
                _Static_assert(TINYNN_VECTORS_FEATURES == \(shape.widths[0]), "the vectors' width is not the model's");
                int32_t vectors_count(void) { return TINYNN_VECTORS_COUNT; }
                const float *vectors_data(void) { return tinynn_vectors; }
                uint32_t vectors_crc(void) { return TINYNN_VECTORS_CRC32; }

                """))
        }
    }

    /// `.sigmoid`: the core's case name, a literal in the generated Swift.
    static func literal(_ a: Activation) -> String { ".\(a)" }

    static func swift(_ s: Shape, source: String) -> String {
        let L = s.layerCount, w = s.widths
        var t = """
            // Generated by tinynn (InferenceSources) for \(s) from \(source); do not edit.
            import TinyNN

            /// The network this firmware is compiled for.
            enum BuiltModel {
                static var shape: StaticString { "\(s.widthsText)" }
                /// Widths and activations, `64-32-10 (sigmoid, softmax)`.
                static var description: StaticString { "\(s)" }
                static var layerCount: Int { \(L) }
                static var inputCount: Int { \(w[0]) }
                static var outputCount: Int { \(w[L]) }
                /// Width `i`, 0 (inputs) through layerCount.
                static func width(_ i: Int) -> Int {
                    switch i {

            """
        for i in 0..<L { t += "        case \(i): return \(w[i])\n" }
        t += "        default: return \(w[L])\n        }\n    }\n"
        for l in 1...L { t += "    typealias Layer\(l) = FlashDense<\(w[l - 1]), \(w[l])>\n" }
        t += """
            }

            /// The layers' views, with the forward pass of `NetworkView.forward` written
            /// out so that each layer's activation is a constant and only these
            /// activations' code is linked.
            struct BuiltNetwork {

            """
        for l in 1...L { t += "    let layer\(l): LayerView\n" }
        t += """
                var layerCount: Int { \(L) }
                var outputCount: Int { \(w[L]) }
                /// Layer `l`, 0 through layerCount − 1.
                subscript(l: Int) -> LayerView {
                    switch l {

            """
        for l in 1..<max(L, 1) where l < L { t += "        case \(l - 1): return layer\(l)\n" }
        t += """
                    default: return layer\(L)
                    }
                }
                /// Forward pass.  x: `[inputCount]` → `[outputCount]`.
                func forward(_ x: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {

            """
        var input = "x"
        for l in 1...L {
            t += "        layer\(l).forward(\(input), activation: \(literal(s.activations[l - 1])))\n"
            input = "UnsafePointer(layer\(l).a)"
        }
        t += """
                    return layer\(L).a
                }
            }

            /// The input after the header's input scaling.
            nonisolated(unsafe) var modelScaledInput = InlineArray<\(w[0]), Float>(repeating: 0)

            /// Runs `body` on the network, its layers FlashDense over the header's
            /// arrays in flash (only z and a take RAM, on the stack for the duration).
            /// Call only after `ModelHeader.check` passed.
            func withBuiltNetwork<R>(_ body: (BuiltNetwork) -> R) -> R {

            """
        for l in 1...L {
            t += "    var layer\(l) = BuiltModel.Layer\(l)(\n"
            if s.activations[l - 1] == .leakyReLU {  // the slope is the header's, read at start-up
                t += "        w: ModelHeader.weights(\(l)), b: ModelHeader.biases(\(l)), activation: .leakyReLU,\n"
                t += "        leakySlope: ModelHeader.leakySlope(\(l)))\n"
            } else {
                t += "        w: ModelHeader.weights(\(l)), b: ModelHeader.biases(\(l)), activation: \(literal(s.activations[l - 1])))\n"
            }
        }
        let open = (1...L).map { " layer\($0).withView { v\($0) in" }.joined()
        let args = (1...L).map { "layer\($0): v\($0)" }.joined(separator: ", ")
        t += "    return\(open)\n        body(BuiltNetwork(\(args)))\n    \((1...L).map { _ in "}" }.joined(separator: " "))\n}\n"
        return t
    }

    static func glue(_ s: Shape, mismatch: String) -> String {
        var matches = "TINYNN_MODEL_LAYERS == \(s.layerCount)"
        for (i, w) in s.widths.enumerated() { matches += " && TINYNN_MODEL_WIDTH_\(i) == \(w)" }
        for (l, a) in s.activations.enumerated() { matches += " && TINYNN_MODEL_ACTIVATION_\(l + 1) == \(a.rawValue)" }
        // Layer l's leaky ReLU slope, TINYNN_MODEL_LEAKY_SLOPE_l, for the leaky layers of this shape
        // (absent from a header of another shape, which model_header_check refuses).
        var slopes = ""
        for (l, a) in s.activations.enumerated() where a == .leakyReLU {
            slopes += "#ifdef TINYNN_MODEL_LEAKY_SLOPE_\(l + 1)\n    case \(l + 1): return TINYNN_MODEL_LEAKY_SLOPE_\(l + 1);\n#endif\n"
        }
        return """
            // Generated by tinynn (InferenceSources); do not edit.
            #include <stddef.h>
            #include "support.h"
            #include "model.h"

            /// 1 if the header is the network BuiltModel.swift was generated for, else
            /// prints why not (one line) and returns 0.
            int32_t model_header_check(void) {
            #if \(matches)
                return 1;
            #else
                static const char line[] = "\(mismatch)\\n";
                support_console_write((const uint8_t *)line, sizeof line - 1);
                return 0;
            #endif
            }
            uint32_t model_header_crc(void) { return TINYNN_MODEL_CRC32; }
            const float *model_header_weights(int32_t l) { return tinynn_model_weights(l); }
            const float *model_header_biases(int32_t l) { return tinynn_model_biases(l); }
            const float *model_header_input_offset(void) { return tinynn_model_input_offset(); }
            const float *model_header_input_scale(void) { return tinynn_model_input_scale(); }
            float model_header_leaky_slope(int32_t l) {
                switch (l) {
            \(slopes)    default: return 0.0f; /* not a leaky ReLU layer of the header: never asked */
                }
            }

            """
    }
}

extension Activation {
    /// The activation the command line spells `name` (``name``), or nil.
    public static func named(_ name: String) -> Activation? {
        (0...UInt8.max).lazy.compactMap(Activation.init(rawValue:)).first { $0.name == name }
    }
}

extension TestVectors {
    /// `TINYNN_VECTORS_FEATURES` of a header ``header()`` wrote, or nil.
    public static func featureCount(inHeader text: String) -> Int? {
        let prefix = "#define TINYNN_VECTORS_FEATURES "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
    }
}
