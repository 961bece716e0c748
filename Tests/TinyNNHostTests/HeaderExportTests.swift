import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The exported C header: compiled by real C compilers, read back by a C
/// program that prints every number's bits, compared with the model exactly.
@Suite struct HeaderExportTests {
    /// Prints everything the header says, in the order ``expectedOutput`` lists it.
    static let checkProgram = """
        #include <stdio.h>
        #include <string.h>
        #include <stdint.h>
        #include "model.h"

        static unsigned long bits(float f) { uint32_t u; memcpy(&u, &f, sizeof u); return (unsigned long)u; }

        /* CRC-32 (IEEE, reflected) of a float's little-endian bytes, whatever the host's order. */
        static uint32_t crc_float(uint32_t c, float f) {
            uint32_t u; int k, b;
            memcpy(&u, &f, sizeof u);
            for (k = 0; k < 4; k++) {
                c ^= (u >> (8 * k)) & 0xFFu;
                for (b = 0; b < 8; b++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
            }
            return c;
        }

        int main(void) {
            int l; long k; uint32_t crc = 0xFFFFFFFFu;
            printf("layers %d inputs %d outputs %d parameters %ld scaling %d loss %d scratch %d\\n",
                   TINYNN_T_LAYERS, TINYNN_T_INPUTS, TINYNN_T_OUTPUTS, (long)TINYNN_T_PARAMETERS,
                   TINYNN_T_SCALING, TINYNN_T_LOSS, TINYNN_T_SCRATCH_FLOATS);
            printf("defines %d %d %d %d %d\\n", TINYNN_T_WIDTH_0, TINYNN_T_WIDTH_1, TINYNN_T_WIDTH_2,
                   TINYNN_T_ACTIVATION_1, TINYNN_T_ACTIVATION_2);
            for (l = 0; l <= TINYNN_T_LAYERS; l++) printf("width %d %d\\n", l, (int)tinynn_t_width(l));
            for (l = 1; l <= TINYNN_T_LAYERS; l++) printf("activation %d %d\\n", l, (int)tinynn_t_activation(l));
            printf("out of range %d %d %d %d\\n", tinynn_t_weights(0) == 0, tinynn_t_biases(TINYNN_T_LAYERS + 1) == 0,
                   (int)tinynn_t_width(-1), (int)tinynn_t_activation(0));
            if (tinynn_t_input_offset() != 0) {
                for (k = 0; k < TINYNN_T_INPUTS; k++) printf("offset %08lx\\n", bits(tinynn_t_input_offset()[k]));
                for (k = 0; k < TINYNN_T_INPUTS; k++) printf("scale %08lx\\n", bits(tinynn_t_input_scale()[k]));
            } else {
                printf("no scaling %d\\n", tinynn_t_input_scale() == 0);
            }
            for (l = 1; l <= TINYNN_T_LAYERS; l++) {
                const float *w = tinynn_t_weights(l), *b = tinynn_t_biases(l);
                long n = (long)tinynn_t_width(l - 1) * tinynn_t_width(l);
                if (((uintptr_t)w & 15u) != 0 || ((uintptr_t)b & 15u) != 0) printf("layer %d not 16-byte aligned\\n", l);
                for (k = 0; k < n; k++) { printf("w%d %08lx\\n", l, bits(w[k])); crc = crc_float(crc, w[k]); }
                for (k = 0; k < tinynn_t_width(l); k++) { printf("b%d %08lx\\n", l, bits(b[k])); crc = crc_float(crc, b[k]); }
            }
            printf("direct %08lx %08lx\\n", bits(tinynn_t_w1[0]), bits(tinynn_t_b2[TINYNN_T_WIDTH_2 - 1]));
            printf("crc %08lx header %08lx\\n", (unsigned long)(crc ^ 0xFFFFFFFFu), (unsigned long)TINYNN_T_CRC32);
            return 0;
        }

        """

    /// What ``checkProgram`` must print for `model`, computed in Swift.
    static func expectedOutput(_ model: Model) -> String {
        let net = model.network, w = net.widths
        func hex(_ f: Float) -> String { String(ModelFile.hex(f.bitPattern).dropFirst(2)) }
        let neurons = w.dropFirst().reduce(0, +)
        var s = "layers \(net.layerCount) inputs \(w[0]) outputs \(w.last!) parameters \(net.parameterCount)"
            + " scaling \(model.scaling.kind.rawValue) loss \(net.loss.rawValue) scratch \(2 * neurons + w[0])\n"
        s += "defines \(w[0]) \(w[1]) \(w[2]) \(net.activations[0].rawValue) \(net.activations[1].rawValue)\n"
        for (i, x) in w.enumerated() { s += "width \(i) \(x)\n" }
        for (l, a) in net.activations.enumerated() { s += "activation \(l + 1) \(a.rawValue)\n" }
        s += "out of range 1 1 -1 -1\n"
        if model.scaling.kind == .none {
            s += "no scaling 1\n"
        } else {
            for f in model.scaling.offset { s += "offset \(hex(f))\n" }
            for f in model.scaling.scale { s += "scale \(hex(f))\n" }
        }
        for l in 0..<net.layerCount {
            for f in net.weights(l) { s += "w\(l + 1) \(hex(f))\n" }
            for f in net.biases(l) { s += "b\(l + 1) \(hex(f))\n" }
        }
        s += "direct \(hex(net.weights(0)[0])) \(hex(net.biases(1).last!))\n"
        let crc = String(ModelFile.hex(CHeader.parameterCRC(net)).dropFirst(2))
        s += "crc \(crc) header \(crc)\n"
        return s
    }

    /// Writes the header and the check program, compiles them with
    /// `gcc -std=c99 -Wall -Wextra -Werror -pedantic`, runs the program.
    static func compileAndRun(_ model: Model, floats: CHeader.FloatStyle) throws -> String {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileIO.writeAtomically(CHeader.render(model, name: "t", source: "test", floats: floats), to: "\(dir)/model.h")
        try FileIO.writeAtomically(checkProgram, to: "\(dir)/check.c")
        let gcc = try #require(findTool("gcc", "cc"), "no C compiler (gcc) on the PATH")
        let build = try runProcess(gcc, ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "check.c", "-o", "check"], in: dir)
        try #require(build.status == 0, "gcc failed:\n\(build.stderr)")
        let run = try runProcess("\(dir)/check", [])
        try #require(run.status == 0)
        return run.stdout
    }

    /// Floats whose literals are easy to get wrong: signed zeros,
    /// subnormals, the extremes, halfway-looking decimals, and random bit
    /// patterns across the whole exponent range.
    static func awkwardModel() throws -> Model {
        let net = try Network(widths: [25, 8, 2], activations: [.relu, .softmax], loss: .crossEntropy)
        var values: [Float] = [0, -0.0, 1, -1, 0.1, 1.0 / 3, .pi, 16_777_215, 0.5, 2.5e-8, 3.4e38,
                               .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                               .leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                               Float(bitPattern: 0x0001_16C2), Float(bitPattern: 0x8040_0001), 123456.789, -9.999999e-5]
        var random = Random(seed: 3)
        while values.count < net.parameterCount + 50 {
            let f = Float(bitPattern: random.next())
            if f.isFinite { values.append(f) }
        }
        var k = 0
        for l in 0..<net.layerCount {
            let nw = net.widths[l] * net.widths[l + 1], nb = net.widths[l + 1]
            try net.setParameters(layer: l, weights: Array(values[k..<(k + nw)]), biases: Array(values[(k + nw)..<(k + nw + nb)]))
            k += nw + nb
        }
        let scaling = FeatureScaling(kind: .standard, offset: Array(values[k..<(k + 25)]),
                                     scale: Array(values[(k + 25)..<(k + 50)]))
        return Model(network: net, scaling: scaling)
    }

    @Test(arguments: CHeader.FloatStyle.allCases)
    func awkwardFloatsReadBackExactly(_ floats: CHeader.FloatStyle) throws {
        let model = try Self.awkwardModel()
        #expect(try Self.compileAndRun(model, floats: floats) == Self.expectedOutput(model))
    }

    /// train → save → load → export → compile → run: the C program sees the
    /// trained parameters' exact bits.
    @Test func trainedModelSurvivesTheWholeTrip() throws {
        let trained = try ModelFileTests.trainedModel()
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelFile.save(trained, to: "\(dir)/m.tnn")
        let loaded = try ModelFile.load("\(dir)/m.tnn")
        let out = try Self.compileAndRun(loaded, floats: .decimal)
        #expect(out == Self.expectedOutput(trained))
        #expect(out.contains("w1 ") && !out.contains("not 16-byte aligned"))
    }

    @Test func modelWithoutScalingHasNullScaling() throws {
        let net = try Network(widths: [3, 4, 1], activations: [.tanh, .sigmoid], loss: .binaryCrossEntropy)
        net.initialize(seed: 5)
        let model = Model(network: net)
        let out = try Self.compileAndRun(model, floats: .hex)
        #expect(out.contains("no scaling 1\n"))
        #expect(out == Self.expectedOutput(model))
    }

    /// The Cortex-M4F build of the firmware: the toolchain's clang, hard
    /// float; and C++, which the `extern "C"` guards are for.
    @Test func compilesForCortexM4AndAsCPlusPlus() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ModelFileTests.trainedModel(epochs: 1)
        try FileIO.writeAtomically(CHeader.render(model, name: "digits", source: "test"), to: "\(dir)/model.h")
        try FileIO.writeAtomically("""
            #include "model.h"
            const float *first_weight(void) { return tinynn_digits_weights(1); }
            int layers(void) { return TINYNN_DIGITS_LAYERS; }

            """, to: "\(dir)/use.c")
        let clang = try #require(findTool("/opt/swift/usr/bin/clang", "clang"), "no clang")
        let arm = try runProcess(clang, ["--target=armv7em-none-eabi", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16",
                                         "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c", "use.c", "-o", "use.o"],
                                 in: dir)
        #expect(arm.status == 0, "clang for armv7em failed:\n\(arm.stderr)")
        if let gxx = findTool("g++", "c++") {
            let cxx = try runProcess(gxx, ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-x", "c++",
                                           "-c", "use.c", "-o", "use-cxx.o"], in: dir)
            #expect(cxx.status == 0, "g++ failed:\n\(cxx.stderr)")
        }
    }

    @Test func namesMustBeCIdentifiers() {
        #expect(CHeader.isValidName("model") && CHeader.isValidName("digits_v2"))
        #expect(!CHeader.isValidName("") && !CHeader.isValidName("2model") && !CHeader.isValidName("Model")
                && !CHeader.isValidName("my-model") && !CHeader.isValidName("_x"))
    }

    @Test func hexLiteralsAreC99() {
        #expect(CHeader.literal(3, .hex) == "0x1.8p+1f")
        #expect(CHeader.literal(-0.0, .hex) == "-0x0p+0f")
        #expect(CHeader.literal(.leastNonzeroMagnitude, .hex) == "0x0.000002p-126f")
        #expect(CHeader.literal(.greatestFiniteMagnitude, .hex) == "0x1.fffffep+127f")
        #expect(CHeader.literal(1, .decimal) == "1.0f")
        #expect(CHeader.literal(1e-5, .decimal) == "1e-05f")
    }
}
