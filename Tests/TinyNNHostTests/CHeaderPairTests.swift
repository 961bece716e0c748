import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The exported header and source pair (`tinynn export --c`): compiled with
/// `gcc -std=c99 -Wall -Wextra -Werror -pedantic`, included by several `.c`
/// files of one program, linked with the C API (Embedded Swift, native), and
/// read back and run: the same numbers and outputs as the model, bit for
/// bit, and one copy of the parameters.
@Suite(.serialized) struct CHeaderPairTests {
    static let strict = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"]

    /// The C API and the core as native Embedded Swift objects (as CAPITests
    /// builds them), once for the suite.
    static let capi: Result<String, Error> = Result {
        let dir = try makeScratchDirectory()
        let swiftc = try #require(findTool("/opt/swift/usr/bin/swiftc", "swiftc"), "no swiftc")
        let core = try FileManager.default.subpathsOfDirectory(atPath: "\(packageRoot)/Sources/TinyNN")
            .filter { $0.hasSuffix(".swift") }.sorted().map { "\(packageRoot)/Sources/TinyNN/\($0)" }
        let embedded = ["-target", "x86_64-unknown-linux-gnu", "-enable-experimental-feature", "Embedded",
                        "-no-allocations", "-wmo", "-parse-as-library", "-O", "-target-cpu", "haswell"]
        try FileManager.default.createDirectory(atPath: "\(dir)/modules", withIntermediateDirectories: false)
        for arguments in [embedded + ["-module-name", "TinyNN", "-emit-module", "-emit-module-path",
                                      "modules/TinyNN.swiftmodule"] + core + ["-c", "-o", "TinyNN.o"],
                          embedded + ["-module-name", "CAPI", "-I", "modules",
                                      "\(packageRoot)/Firmware/CAPI/CAPI.swift", "-c", "-o", "CAPI.o"]] {
            let r = try runProcess(swiftc, arguments, in: dir)
            try #require(r.status == 0, "swiftc failed:\n\(r.stderr)")
        }
        return dir
    }

    /// A second translation unit: runs `t_predict` and `t_classify` on the
    /// rows it is given and prints `tinynn predict --bits` lines.
    static let predictProgram = """
        #include <stdio.h>
        #include <string.h>
        #include "t.h"

        int readback(void);

        static float scratch[TINYNN_T_SCRATCH_FLOATS];

        int main(void) {
            float x[TINYNN_T_INPUTS], y[TINYNN_T_OUTPUTS];
            int k, c;
            if (readback() != 0) return 1;
            printf("null %d %d\\n", (int)t_predict(0, y, scratch), (int)t_predict(x, 0, scratch));
            while (1) {
                for (k = 0; k < TINYNN_T_INPUTS; k++) if (scanf("%f", &x[k]) != 1) return 0;
                if (t_predict(x, y, scratch) != TINYNN_OK) return 2;
                c = t_classify(x, 0, scratch);
                printf("%d", c);
                for (k = 0; k < TINYNN_T_OUTPUTS; k++) { unsigned u; memcpy(&u, &y[k], 4); printf(" %08x", u); }
                printf("\\n");
            }
        }

        """

    /// The symbols of `program` named `name` (nm lines), for counting copies.
    static func symbols(_ program: String, _ name: String) throws -> [String] {
        let nm = try runProcess(try #require(findTool("nm")), ["-S", program])
        return nm.stdout.split(separator: "\n").map(String.init).filter { $0.hasSuffix(" \(name)") }
    }

    @Test func pairLinksOnceAndComputesTheHostsBits() throws {
        let objects = try Self.capi.get()
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gcc = try #require(findTool("gcc", "cc"), "no C compiler (gcc)")
        let model = try ModelFileTests.trainedModel(epochs: 1)
        let pair = CHeaderPair.render(model, name: "t", fileBase: "t", source: "test")
        try FileIO.writeAtomically(pair.header, to: "\(dir)/t.h")
        try FileIO.writeAtomically(pair.source, to: "\(dir)/t.c")
        try FileIO.writeAtomically(HeaderExportTests.checkProgram
            .replacingOccurrences(of: "#include \"model.h\"", with: "#include \"t.h\"")
            .replacingOccurrences(of: "int main(void) {", with: "int readback(void);\nint readback(void) {"),
            to: "\(dir)/check.c")
        try FileIO.writeAtomically(Self.predictProgram, to: "\(dir)/main.c")
        let build = try runProcess(gcc, Self.strict + ["-I\(packageRoot)/Firmware/CAPI", "main.c", "check.c", "t.c",
                                                      "\(objects)/CAPI.o", "\(objects)/TinyNN.o", "-lm", "-o", "pair"],
                                   in: dir)
        try #require(build.status == 0, "gcc failed:\n\(build.stderr)")

        // Rows of the data set, as text the C program's scanf reads back exactly.
        let data = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 12).dataset()
        var input = "", expected = HeaderExportTests.expectedOutput(model) + "null -1 -1\n"
        for i in 0..<data.count {
            let x = Array(data.sample(i))
            input += x.map(\.description).joined(separator: " ") + "\n"
            let y = try model.predict(x)
            expected += ([String(Model.predictedClass(y))] + y.map { String(ModelFile.hex($0.bitPattern).dropFirst(2)) })
                .joined(separator: " ") + "\n"
        }
        try FileIO.writeAtomically(input, to: "\(dir)/rows.txt")
        let run = try runProcess("/bin/sh", ["-c", "./pair < rows.txt"], in: dir)
        #expect(run.status == 0)
        #expect(data.count == 12 && run.stdout.split(separator: "\n").count == expected.split(separator: "\n").count)
        #expect(run.stdout == expected)

        // One definition of each array, its size the parameters' (nm -S: address, size, type, name).
        let n = model.network.widths[0] * model.network.widths[1]
        let w1 = try Self.symbols("\(dir)/pair", "tinynn_t_w1")
        #expect(w1.count == 1 && w1.first?.split(separator: " ")[1] == Substring(String(format: "%016x", 4 * n)),
                "\(w1)")
        #expect(try Self.symbols("\(dir)/pair", "tinynn_t_model").count == 1)

        // The check can see duplicates: the single header, included by two .c files, gives two copies.
        try FileIO.writeAtomically(CHeader.render(model, name: "t", source: "test"), to: "\(dir)/single.h")
        let twice = "#include \"single.h\"\nconst float *SIDE(void) { return tinynn_t_weights(1); }\n"
        try FileIO.writeAtomically(twice.replacingOccurrences(of: "SIDE", with: "one"), to: "\(dir)/one.c")
        try FileIO.writeAtomically(twice.replacingOccurrences(of: "SIDE", with: "two")
            + "const float *one(void);\nint main(void) { return one() == two(); }\n", to: "\(dir)/two.c")
        let single = try runProcess(gcc, ["-std=c99", "-O0", "one.c", "two.c", "-o", "single"], in: dir)
        try #require(single.status == 0, "\(single.stderr)")
        #expect(try Self.symbols("\(dir)/single", "tinynn_t_w1").count == 2)
    }

    /// The header alone: C99 pedantic, C++ (the `extern "C"` guards), and for
    /// the Cortex-M4F with the toolchain's clang.
    @Test func headerCompilesAsCAndCPlusPlus() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let net = try Network(widths: [3, 4, 1], activations: [.tanh, .sigmoid], loss: .binaryCrossEntropy)
        net.initialize(seed: 5)
        let pair = CHeaderPair.render(Model(network: net), name: "tiny", fileBase: "tiny", source: "test", floats: .hex)
        #expect(pair.header.contains("#define tinynn_tiny_offset ((const float *)0)"))
        #expect(pair.header.contains("extern const float tinynn_tiny_w1[TINYNN_TINY_WIDTH_1 * TINYNN_TINY_WIDTH_0];"))
        #expect(!pair.header.contains("static const float"))
        #expect(pair.source.contains("const float tinynn_tiny_w1[TINYNN_TINY_WIDTH_1 * TINYNN_TINY_WIDTH_0] TINYNN_TINY_ALIGN = {"))
        try FileIO.writeAtomically(pair.header, to: "\(dir)/tiny.h")
        try FileIO.writeAtomically(pair.source, to: "\(dir)/tiny.c")
        let capi = "-I\(packageRoot)/Firmware/CAPI"
        let gcc = try #require(findTool("gcc", "cc"), "no C compiler (gcc)")
        let c = try runProcess(gcc, Self.strict + [capi, "-c", "tiny.c", "-o", "tiny.o"], in: dir)
        #expect(c.status == 0, "gcc failed:\n\(c.stderr)")
        if let gxx = findTool("g++", "c++") {
            // C++ includes the header (the .c file's hex literals are C99, C++17).
            try FileIO.writeAtomically("#include \"tiny.h\"\nint inputs() { return TINYNN_TINY_INPUTS + tinynn_tiny_width(0); }\n",
                                       to: "\(dir)/use.cpp")
            let cxx = try runProcess(gxx, ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic", capi,
                                           "-c", "use.cpp", "-o", "use.o"], in: dir)
            #expect(cxx.status == 0, "g++ failed:\n\(cxx.stderr)")
        }
        let clang = try #require(findTool("/opt/swift/usr/bin/clang", "clang"), "no clang")
        let arm = try runProcess(clang, ["--target=armv7em-none-eabi", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", capi]
                                 + Self.strict + ["-c", "tiny.c", "-o", "tiny-arm.o"], in: dir)
        #expect(arm.status == 0, "clang for armv7em failed:\n\(arm.stderr)")
        // The ARM object calls the C API under its ABI name (tinynn.h's link-time check).
        let nm = try runProcess(try #require(findTool("/opt/swift/usr/bin/llvm-nm", "llvm-nm")), ["tiny-arm.o"], in: dir)
        #expect(nm.stdout.contains("U tinynn_run_abi_hard_enum4"), "\(nm.stdout)")
    }
}
