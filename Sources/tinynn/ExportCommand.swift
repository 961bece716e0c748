import TinyNN
import TinyNNHost

/// `tinynn export`: a model file as a C header for firmware.
enum ExportCommand {
    static let command = Command(
        name: "export",
        summary: "write a model as a C header (or, with --c, a .h/.c pair) for a firmware project",
        synopsis: "export MODEL [--output FILE.h | --c PATH] [--name NAME] [--floats decimal|hex] | export MODEL --bits [--name NAME]"
            + " | export MODEL --swift DIR [--vectors FILE.h] [--shape SPEC] | export --onnx MODEL [--output FILE.onnx]",
        positionals: ["MODEL"],
        flags: [
            Flag("--output", "FILE.h", "the header to write (default: MODEL with .tnn replaced by .h)"),
            Flag("--c", "PATH", "write the pair PATH.h (extern const declarations, NAME_predict) and PATH.c"
                 + " (the definitions) for C projects that link libtinynn (Scripts/build-lib), both or"
                 + " neither; NAME defaults to PATH's base name"),
            Flag("--name", "NAME", "prefix of every name in the header: tinynn_NAME_w1, TINYNN_NAME_LAYERS, ..."
                 + " (a lowercase letter, then lowercase letters, digits or _; default model)"),
            Flag("--floats", "STYLE", "float literals: decimal (shortest that reads back to the same bits)"
                 + " or hex (C99, 0x1.8p+1f) (default decimal)"),
            Flag("--onnx", nil, "instead of a header, write the model as ONNX (opset 17: Gemm transB=1 and activation"
                 + " nodes, a Scaler for input scaling) for Netron or onnxruntime; --output names it (default: MODEL"
                 + " with .tnn replaced by .onnx); 'tinynn import' reads it back to the same bits"),
            Flag("--bits", nil, "instead of a header, print the training loss, learning rate and every parameter"
                 + " as 'NAME LABEL 0xBITS' lines (NAME loss, NAME eta, NAME w1[j][i], NAME b1[j], ...), as the"
                 + " train firmware prints them"),
            Flag("--swift", "DIR", "write the inference firmware's generated sources for the model into DIR:"
                 + " BuiltModel.swift (its FlashDense layer types and forward pass), model.h (the header, name model)"
                 + " and model_glue.c (the functions Swift reaches it by, and the start-up shape check)"),
            Flag("--vectors", "FILE.h", "with --swift: also vectors.h and vectors_glue.c for these test vectors"
                 + " (tinynn vectors --header), which must have the model's input width"),
            Flag("--shape", "SPEC", "with --swift: generate for this shape (64-32-10 or 64-32-10:sigmoid,softmax)"
                 + " instead of the model's; the firmware then refuses the model at start-up"),
        ],
        details: """
            The header is self-contained C99/C++ (only <stdint.h>). For --name model it defines
            TINYNN_MODEL_LAYERS, _INPUTS, _OUTPUTS, _WIDTH_0.._WIDTH_L, _ACTIVATION_1.._ACTIVATION_L
            (TinyNN's raw values: identity 0, sigmoid 1, tanh 2, relu 3, leaky-relu 4, softmax 5),
            _LOSS, _SCALING, _PARAMETERS, _SCRATCH_FLOATS and _CRC32 (CRC-32 of the parameters as
            float32 little-endian bytes, w1 b1 w2 b2 ...); the arrays tinynn_model_widths,
            tinynn_model_activations, tinynn_model_offset and tinynn_model_scale (input scaling;
            null pointers without scaling), tinynn_model_w1 ([out][in], row-major),
            tinynn_model_b1, ... aligned to 16 bytes; pointer tables tinynn_model_weight_table and
            tinynn_model_bias_table; and, for Swift (which imports C arrays as tuples), accessors
            tinynn_model_weights(layer), tinynn_model_biases(layer) (layer 1..L),
            tinynn_model_width(i), tinynn_model_activation(layer), tinynn_model_input_offset() and
            tinynn_model_input_scale(). With Firmware/CAPI/tinynn.h, TINYNN_MODEL(model) builds the
            tinynn_model descriptor that tinynn_predict runs.

            The single header is the default: the in-tree Swift firmware includes it through
            the clang importer, which needs one self-contained file, and a C program with one
            .c file needs nothing more. For a C project whose .c files share a model, --c
            writes the TFLM-style pair: PATH.h has the same macros, extern const declarations,
            the descriptor tinynn_NAME_model and the functions NAME_predict(x, y, scratch)
            (tinynn_status: TINYNN_OK, TINYNN_ERROR_NULL) and NAME_classify (the class); PATH.c
            defines them, so the firmware holds one copy of the parameters. Both include
            tinynn.h (Firmware/CAPI/tinynn.h, shipped beside libtinynn-BOARD.a).

            An int8 model (tinynn quantize) exports its integers: int8_t weights tinynn_model_w1,
            ..., int32_t biases _b1, ..., multipliers _m1, ... (Q31), for leaky ReLU _n1, ... and
            for sigmoid and tanh 256-entry int8_t tables _t1, ..., 16-byte aligned, with the
            per-layer _SHIFT_l, _NEGATIVE_SHIFT_l and _ZERO_POINT_l, the input's _INPUT_SCALE and
            _INPUT_ZERO_POINT, _SOFTMAX_BETA, _CLASS_THRESHOLD, _SCRATCH_WORDS, _FLASH_BYTES and
            _CRC32 (of the arrays). With --c the pair defines the tinynn_int8_model descriptor
            tinynn_NAME_model and NAME_predict(q, y, probabilities, scratch) over int8 inputs
            (tinynn_int8_predict of tinynn.h: integer arithmetic only).
            """,
        examples: [
            "tinynn export digits.tnn --output digits_model.h --name digits",
            "tinynn export digits.tnn --c src/digits     # src/digits.h and src/digits.c, digits_predict()",
            "tinynn export --onnx digits.tnn --output digits.onnx",
            "tinynn export digits-int8.tnn --c src/digits8   # int8: digits8_predict(q, y, p, scratch)",
        ],
        run: run)

    static func run(_ args: Arguments) throws(Failure) {
        let path = try InfoCommand.modelPath(args)
        if args.has("--onnx") { return try writeONNX(args, model: path) }
        if let pair = args.string("--c") {
            if args.has("--bits") { throw args.usage("--c and --bits exclude each other") }
            return try writePair(args, model: path, base: pair)
        }
        if let dir = args.string("--swift") { return try writeSwift(args, model: path, directory: dir) }
        if args.has("--vectors") || args.has("--shape") { throw args.usage("--vectors and --shape go with --swift") }
        let name = args.string("--name") ?? "model"
        if args.has("--bits") || args.has("--floats"), (try? ModelFile.load(path))?.quantized != nil {
            throw args.usage("--bits and --floats are for float models; an int8 model exports its integers")
        }
        guard CHeader.isValidName(name) else {
            throw args.usage("--name '\(name)' must be a lowercase letter, then lowercase letters, digits or _")
        }
        if args.has("--bits") {
            guard !args.has("--output"), !args.has("--floats") else { throw args.usage("--bits prints; it takes no --output or --floats") }
            let model = try InfoCommand.load(path)
            print(BitDump.modelValues(model, name: name).joined(separator: "\n"))
            return
        }
        let floats = try args.choice("--floats", TrainCommand.floatNames) ?? .decimal
        let output = args.string("--output") ?? (path.hasSuffix(".tnn") ? String(path.dropLast(4)) : path) + ".h"
        let outputSet = try Outputs.set([output], inputs: [path], args)
        let model = try InfoCommand.load(path)
        let text = model.quantized != nil ? Int8Header.render(model, name: name, source: Outputs.baseName(path))
            : CHeader.render(model, name: name, source: Outputs.baseName(path), floats: floats)
        try Outputs.stage(text, for: output, in: outputSet)
        try Outputs.commit(outputSet)
        print("wrote \(output): \(model.quantized != nil ? "int8 " : "")\(InfoCommand.shape(model.network)),"
              + " \(model.network.parameterCount) parameters,"
              + " CRC-32 \(ModelFile.hex(model.quantized?.crc ?? CHeader.parameterCRC(model.network)))")
    }

    /// `--onnx`: the model as an ONNX file (``ONNXExport``).
    static func writeONNX(_ args: Arguments, model path: String) throws(Failure) {
        if let other = ["--c", "--bits", "--name", "--floats", "--swift", "--vectors", "--shape"].first(where: args.has) {
            throw args.usage("--onnx writes an ONNX file; it takes no \(other)")
        }
        let output = args.string("--output") ?? (path.hasSuffix(".tnn") ? String(path.dropLast(4)) : path) + ".onnx"
        let outputSet = try Outputs.set([output], inputs: [path], args)
        let model = try InfoCommand.load(path)
        let base = Outputs.baseName(path)
        try Outputs.stage(ONNXExport.encode(model, graphName: base.hasSuffix(".tnn") ? String(base.dropLast(4)) : base),
                          for: output, in: outputSet)
        try Outputs.commit(outputSet)
        print("wrote \(output): ONNX opset \(ONNXExport.opset), \(InfoCommand.shape(model.network)),"
              + " \(model.network.parameterCount) parameters")
    }

    /// `--c PATH`: PATH.h and PATH.c, written as a set.
    static func writePair(_ args: Arguments, model path: String, base given: String) throws(Failure) {
        if args.string("--output") != nil { throw args.usage("--c and --output exclude each other") }
        let base = given.hasSuffix(".h") || given.hasSuffix(".c") ? String(given.dropLast(2)) : given
        guard !given.isEmpty else { throw args.usage("'': an empty output path") }
        guard !base.isEmpty, !base.hasSuffix("/") else { throw args.usage("--c \(given): give PATH for PATH.h and PATH.c") }
        let fileBase = Outputs.baseName(base)
        let name = args.string("--name") ?? fileBase
        guard CHeader.isValidName(name) else {
            throw args.usage("the C name '\(name)' (--name, or the base name of --c) must be a lowercase letter,"
                             + " then lowercase letters, digits or _")
        }
        let floats = try args.choice("--floats", TrainCommand.floatNames) ?? .decimal
        let outputSet = try Outputs.set([base + ".h", base + ".c"], inputs: [path], args)
        let model = try InfoCommand.load(path)
        if model.quantized != nil {
            if args.has("--floats") { throw args.usage("--floats is for float models; an int8 model exports its integers") }
            let pair = Int8HeaderPair.render(model, name: name, fileBase: fileBase, source: Outputs.baseName(path))
            try Outputs.stage(pair.header, for: base + ".h", in: outputSet)
            try Outputs.stage(pair.source, for: base + ".c", in: outputSet)
            try Outputs.commit(outputSet)
            print("wrote \(base).h and \(base).c: \(name)_predict, int8 \(InfoCommand.shape(model.network)),"
                  + " \(InfoCommand.group(model.quantized!.flashBytes)) bytes of arrays, CRC-32 \(ModelFile.hex(model.quantized!.crc))")
            return
        }
        if let l = model.network.leakySlopes.firstIndex(where: { $0 != Activation.defaultLeakySlope }) {
            throw .data("\(path): layer \(l + 1)'s leaky ReLU slope is \(model.network.leakySlopes[l]); the C API"
                        + " (tinynn.h) runs slope \(Activation.defaultLeakySlope) only (the single header serves the Swift firmware)")
        }
        let pair = CHeaderPair.render(model, name: name, fileBase: fileBase, source: Outputs.baseName(path), floats: floats)
        try Outputs.stage(pair.header, for: base + ".h", in: outputSet)
        try Outputs.stage(pair.source, for: base + ".c", in: outputSet)
        try Outputs.commit(outputSet)
        print("wrote \(base).h and \(base).c: \(name)_predict, \(InfoCommand.shape(model.network)),"
              + " \(model.network.parameterCount) parameters, CRC-32 \(ModelFile.hex(CHeader.parameterCRC(model.network)))")
    }

    /// `--swift DIR`: the inference firmware's generated sources, written as a set.
    static func writeSwift(_ args: Arguments, model path: String, directory: String) throws(Failure) {
        for flag in ["--output", "--c", "--bits", "--name", "--floats"] where args.has(flag) {
            throw args.usage("--swift and \(flag) exclude each other")
        }
        let model = try InfoCommand.load(path)
        var vectors: String?
        if let file = args.string("--vectors") {
            do { vectors = String(decoding: try FileIO.contents(of: file), as: UTF8.self) } catch { throw .data(error.description) }
        }
        let sources: InferenceSources
        do {
            let net = model.network
            let own = InferenceSources.Shape(widths: net.widths, activations: net.activations)
            let shape = try args.string("--shape").map { s throws(NetworkError) in try InferenceSources.Shape(parsing: s, model: own) }
            sources = try InferenceSources(model: model, source: Outputs.baseName(path), shape: shape, vectorsHeader: vectors)
        } catch { throw .data("\(path): \(error)") }
        let paths = sources.files.map { "\(directory)/\($0.name)" }
        let outputSet = try Outputs.set(paths, inputs: [path], args)
        for (file, target) in zip(sources.files, paths) { try Outputs.stage(file.text, for: target, in: outputSet) }
        try Outputs.commit(outputSet)
        print("wrote \(sources.files.map(\.name).joined(separator: ", ")) into \(directory): \(InfoCommand.shape(model.network))")
    }
}
