import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The C API's int8 path (`tinynn_int8_predict`, `tinynn export --c` of a
/// quantized model) and the example C firmware over it, built natively with
/// the C API in Embedded Swift (`-no-allocations`) and run on the host: its
/// integers must be the host's, and a flipped bit, another model's output and
/// other vectors must each be caught by ``FirmwareCheck`` with a line saying
/// what differs.
@Suite(.serialized) struct CAPIInt8Tests {
    /// A quantized [64, 16, 12, 8, 10] sigmoid, tanh, leaky ReLU, softmax model
    /// (tables and negative multipliers), or another seed's.
    static func model(seed: UInt64) throws -> (model: Model, data: Dataset) {
        let all = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 300).dataset(classCount: 10)
        let scaling = FeatureScaling.fit(.standard, to: all)
        let net = try Network(widths: [64, 16, 12, 8, 10], activations: [.sigmoid, .tanh, .leakyReLU, .softmax],
                              loss: .crossEntropy)
        net.initialize(seed: seed)
        _ = try Trainer(optimizer: .adam(learningRate: 0.003), batchSize: 10, epochs: 3, seed: seed)
            .train(net, on: scaling.apply(to: all), test: nil) { _ in }
        var model = Model(network: net, scaling: scaling)
        model.quantized = try Quantizer.quantize(model, calibration: all).model
        return (model, all)
    }

    /// Hand-made int8 models with known answers, and the error returns.
    static let checks = """
        #include <stdio.h>
        #include "tinynn.h"

        int main(void) {
            /* One layer 2 -> 2, identity: z = W q + b, a = round(z * 2^30 / 2^31 * 2^1) = z (m = 2^30, shift 1). */
            static const int32_t widths[2] = { 2, 2 };
            static const uint8_t identity[1] = { TINYNN_ACTIVATION_IDENTITY };
            static const uint8_t leaky[1] = { TINYNN_ACTIVATION_LEAKY_RELU };
            static const uint8_t unknown[1] = { 9 };
            static const int8_t w[4] = { 1, 2, -3, 1 };
            static const int32_t b[2] = { 5, -100 }, m[2] = { 1073741824, 1073741824 };
            static const int32_t shifts[1] = { 1 }, zero[1] = { 0 };
            static const int8_t *const ws[1] = { w };
            static const int32_t *const bs[1] = { b }, *const ms[1] = { m };
            const tinynn_int8_model net = { 1, widths, identity, ws, bs, ms, shifts, 0, shifts, zero, 0, 0, 0 };
            const tinynn_int8_model none = { 0, widths, identity, ws, bs, ms, shifts, 0, shifts, zero, 0, 0, 0 };
            const tinynn_int8_model bad = { 1, widths, unknown, ws, bs, ms, shifts, 0, shifts, zero, 0, 0, 0 };
            const tinynn_int8_model noleak = { 1, widths, leaky, ws, bs, ms, shifts, 0, shifts, zero, 0, 0, 0 };
            int8_t q[2] = { 10, 20 }, y[2] = { 0, 0 };
            int32_t s[4], c;
            printf("scratch %d\\n", (int)tinynn_int8_scratch_words(&net));
            c = tinynn_int8_predict(&net, q, y, 0, s); printf("y %d %d %d\\n", (int)c, (int)y[0], (int)y[1]);
            q[0] = -128; q[1] = 127;
            c = tinynn_int8_predict(&net, q, y, 0, s); printf("y %d %d %d\\n", (int)c, (int)y[0], (int)y[1]);
            printf("errors %d %d %d %d %d %d\\n", (int)tinynn_int8_predict(0, q, y, 0, s),
                   (int)tinynn_int8_predict(&net, 0, y, 0, s), (int)tinynn_int8_predict(&net, q, y, 0, 0),
                   (int)tinynn_int8_predict(&none, q, y, 0, s), (int)tinynn_int8_predict(&bad, q, y, 0, s),
                   (int)tinynn_int8_predict(&noleak, q, y, 0, s));
            return 0;
        }

        """

    @Test func cFirmwareComputesTheHostsIntegers() throws {
        let objects = try CHeaderPairTests.capi.get()
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gcc = try #require(findTool("gcc", "cc"), "no C compiler")
        let (model, all) = try Self.model(seed: 3)
        let q = model.quantized!
        #expect(q.layers.map(\.table.count) == [256, 256, 0, 0] && q.layers.map(\.negativeMultiplier.count) == [0, 0, 8, 0])
        let pair = Int8HeaderPair.render(model, name: "digits8", fileBase: "digits8", source: "test")
        let vectors = try TestVectors(try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 30).dataset(classCount: 10),
                                      source: "digits.csv")
        try FileIO.writeAtomically(pair.header, to: "\(dir)/digits8.h")
        try FileIO.writeAtomically(pair.source, to: "\(dir)/digits8.c")
        try FileIO.writeAtomically(vectors.int8Header(for: model), to: "\(dir)/vectors.h")
        try FileIO.writeAtomically(CAPITests.shim, to: "\(dir)/shim.c")
        try FileIO.writeAtomically(Self.checks, to: "\(dir)/checks.c")
        let example = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I\(packageRoot)/Firmware/Support",
                       "-I\(packageRoot)/Firmware/CAPI", "-I\(CAPITests.example)", "-I.", "-DMODEL_HEADER=\"digits8.h\"",
                       "-DMODEL_NAME=digits8", "-DMODEL_UPPER=DIGITS8", "-DVECTORS_HEADER=\"vectors.h\""]
        let steps: [[String]] = [
            example + ["-c", "\(CAPITests.example)/main.c", "-o", "main.o"],
            example + ["-c", "\(CAPITests.example)/model_check.c", "-o", "model_check.o"],
            example + ["-pedantic", "-c", "digits8.c", "-o", "digits8.o"],
            ["-std=c99", "-I\(packageRoot)/Firmware/Support", "-c", "shim.c", "-o", "shim.o"],
            ["main.o", "model_check.o", "digits8.o", "shim.o", "\(objects)/CAPI.o", "\(objects)/TinyNN.o", "-lm",
             "-o", "c-project"],
            ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I\(packageRoot)/Firmware/CAPI",
             "checks.c", "\(objects)/CAPI.o", "\(objects)/TinyNN.o", "-lm", "-o", "checks"],
        ]
        for arguments in steps {
            let r = try runProcess(gcc, arguments, in: dir)
            try #require(r.status == 0, "gcc \(arguments.suffix(4)) failed:\n\(r.stderr)")
        }
        #expect(pair.header.contains("#define TINYNN_DIGITS8_SCRATCH_WORDS \(46 + 12)\n"))
        #expect(pair.source.contains("const int8_t tinynn_digits8_w1[1024] __attribute__((aligned(16))) = {\n    "
                                     + q.layers[0].w.prefix(16).map { "\($0)," }.joined(separator: " ") + "\n"))
        #expect(pair.source.contains("const int32_t *const tinynn_digits8_negative_multiplier_table[TINYNN_DIGITS8_LAYERS]"
                                     + " = { 0, 0, tinynn_digits8_n3, 0 };"))

        // The example firmware prints the int8 app's lines: equal to the host's, 30 rows of 10 logits + 10 probabilities.
        let run = try runProcess("\(dir)/c-project", [])
        #expect(run.status == 0, "\(run.stdout)")
        let expected = vectors.int8Expected(for: model)
        let check = FirmwareCheck(expected: expected, output: run.stdout, labels: vectors.data.labels, integerOutputs: 10)
        #expect(check.isEqual && check.rows == 30 && check.outputs == 600,
                "\(check.refusal ?? check.firstDifference ?? "rows \(check.rows)")")
        #expect(check.classesAgreeing == 30)
        #expect(run.stdout.hasSuffix("c-project: done\n"))

        // Negative checks through FirmwareCheck. A flipped bit: the lowest bit of row 7's output 3.
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let flipped = lines.map { line -> String in
            guard line.hasPrefix("y 7 ") else { return line }
            var w = line.split(separator: " ").map(String.init)
            let v = UInt32(w[5].dropFirst(2), radix: 16)! ^ 1
            w[5] = ModelFile.hex(v)
            return w.joined(separator: " ")
        }.joined(separator: "\n")
        #expect(flipped != run.stdout && flipped.count == run.stdout.count)
        let y7 = BitDump.parse(Substring(expected[2 + 7]))!.bits[3]
        let bad = FirmwareCheck(expected: expected, output: flipped, labels: [], integerOutputs: 10)
        #expect(bad.refusal == nil && !bad.isEqual)
        #expect(bad.firstDifference == "row 7 output 3: host \(ModelFile.hex(y7)) (\(Int32(bitPattern: y7))),"
                + " target \(ModelFile.hex(y7 ^ 1)) (\(Int32(bitPattern: y7 ^ 1)))")
        // Another model's output (another seed's weights): refused by its model crc.
        let other = try Self.model(seed: 4).model
        #expect(other.quantized!.crc != q.crc)
        let otherModel = FirmwareCheck(expected: vectors.int8Expected(for: other), output: run.stdout, labels: [],
                                       integerOutputs: 10)
        #expect(otherModel.refusal == "the firmware ran other model: it printed '\(BitDump.modelLine(q.crc))',"
                + " the host has '\(BitDump.modelLine(other.quantized!.crc))'")
        // Other vectors (rows 30..<60): refused by the vectors line.
        let rows = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 60).dataset(classCount: 10)
        let later = try TestVectors(rows.slice(30..<60), source: "digits.csv")
        let otherVectors = FirmwareCheck(expected: later.int8Expected(for: model), output: run.stdout, labels: [],
                                         integerOutputs: 10)
        #expect(otherVectors.refusal?.hasPrefix("the firmware ran other vectors: it printed 'vectors 30 crc ") == true,
                "\(otherVectors.refusal ?? "not refused")")
        _ = all

        // Known answers: q = (10, 20): z = (10 + 40 + 5, −30 + 20 − 100) = (55, −110) → class 0;
        // q = (−128, 127): (−128 + 254 + 5, 384 + 127 − 100) = (131 → 127, 411 → 127) → class 0 (first of equals).
        // Errors: NULL −1, no layers, an unknown activation, leaky ReLU without negative multipliers −2.
        let checks = try runProcess("\(dir)/checks", [])
        #expect(checks.stdout == """
            scratch 3
            y 0 55 -110
            y 0 127 127
            errors -1 -1 -1 -2 -2 -2

            """)
    }

    /// `tinynn export MODEL-int8.tnn --c PATH` writes Int8HeaderPair's two files
    /// (and says so); `--floats` is refused for an int8 model, nothing written.
    @Test func exportWritesTheInt8Pair() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (model, _) = try Self.model(seed: 3)
        try FileIO.writeAtomically(ModelFile.encode(model), to: "\(dir)/q.tnn")
        let r = try runProcess(tinynnPath, ["export", "\(dir)/q.tnn", "--c", "\(dir)/digits8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote \(dir)/digits8.h and \(dir)/digits8.c: digits8_predict, int8 "), "\(r.stdout)")
        let pair = Int8HeaderPair.render(model, name: "digits8", fileBase: "digits8", source: "q.tnn")
        #expect(try String(contentsOfFile: "\(dir)/digits8.h", encoding: .utf8) == pair.header)
        #expect(try String(contentsOfFile: "\(dir)/digits8.c", encoding: .utf8) == pair.source)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let floats = try runProcess(tinynnPath, ["export", "\(dir)/q.tnn", "--c", "\(dir)/other", "--floats", "hex"])
        #expect(floats.status == 2 && floats.stderr.contains("--floats is for float models"), "\(floats.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before)
    }
}
