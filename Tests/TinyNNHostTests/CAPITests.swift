import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The C API (Firmware/CAPI) and the example C firmware
/// (Firmware/Apps/c-inference), built natively in Embedded Swift with
/// `-no-allocations` (the proof that CAPI.swift is firmware-clean) and run
/// on the host: the C program must print the bits the host computes.
@Suite(.serialized) struct CAPITests {
    static let app = "\(packageRoot)/Firmware/Apps/c-inference"

    /// The committed header is what the exporter makes of the committed model.
    @Test func exampleHeaderIsCurrent() throws {
        let model = try ModelFile.load("\(Self.app)/digits.tnn")
        let header = try String(contentsOfFile: "\(Self.app)/digits_model.h", encoding: .utf8)
        #expect(header == CHeader.render(model, name: "digits", source: "digits.tnn"),
                "regenerate: tinynn export Firmware/Apps/c-inference/digits.tnn --name digits --output Firmware/Apps/c-inference/digits_model.h")
    }

    /// Hand-made models with known answers, and the error returns.
    static let checks = """
        #include <stdio.h>
        #include "tinynn.h"

        int main(void) {
            /* y = identity(1*x0' - 1*x1' + 0.5), x' = (x - 1) * 2 */
            static const int32_t widths[2] = { 2, 1 };
            static const uint8_t identity[1] = { TINYNN_ACTIVATION_IDENTITY };
            static const uint8_t unknown[1] = { 9 };
            static const float w[2] = { 1.0f, -1.0f }, b[1] = { 0.5f };
            static const float *const ws[1] = { w }, *const bs[1] = { b };
            static const float offset[2] = { 1.0f, 1.0f }, scale[2] = { 2.0f, 2.0f };
            const tinynn_model raw = { 1, widths, identity, ws, bs, 0, 0 };
            const tinynn_model scaled = { 1, widths, identity, ws, bs, offset, scale };
            const tinynn_model none = { 0, widths, identity, ws, bs, 0, 0 };
            const tinynn_model bad = { 1, widths, unknown, ws, bs, 0, 0 };
            float x1[2] = { 3.0f, 1.0f }, x2[2] = { 0.0f, 1.0f }, y[1] = { 0.0f }, s[8], out[2];
            int32_t c;
            printf("scratch %d\\n", (int)tinynn_scratch_floats(&raw));
            c = tinynn_predict(&raw, x1, y, s);    printf("raw %d %g\\n", (int)c, (double)y[0]);
            c = tinynn_predict(&raw, x2, y, s);    printf("raw %d %g\\n", (int)c, (double)y[0]);
            c = tinynn_predict(&scaled, x1, y, s); printf("scaled %d %g\\n", (int)c, (double)y[0]);
            c = tinynn_predict(&raw, x1, 0, s);    printf("no y %d\\n", (int)c);
            printf("errors %d %d %d %d %d\\n", (int)tinynn_predict(0, x1, y, s), (int)tinynn_predict(&raw, 0, y, s),
                   (int)tinynn_predict(&raw, x1, y, 0), (int)tinynn_predict(&none, x1, y, s),
                   (int)tinynn_predict(&bad, x1, y, s));
            tinynn_scale_input(x1, offset, scale, out, 2);
            printf("scale %g %g\\n", (double)out[0], (double)out[1]);
            return 0;
        }

        """

    /// What a board's startup code and console would give main.c.
    static let shim = """
        #include <stdio.h>
        #include "support.h"
        void support_console_putc(int c) { putchar(c); }
        const char *support_board(void) { return "host"; }
        int main(void) { return (int)firmware_main(); }

        """

    @Test func cFirmwareComputesTheHostsBits() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let swiftc = try #require(findTool("/opt/swift/usr/bin/swiftc", "swiftc"), "no swiftc")
        let gcc = try #require(findTool("gcc", "cc"), "no C compiler")
        let core = try FileManager.default.subpathsOfDirectory(atPath: "\(packageRoot)/Sources/TinyNN")
            .filter { $0.hasSuffix(".swift") }.sorted().map { "\(packageRoot)/Sources/TinyNN/\($0)" }
        let embedded = ["-target", "x86_64-unknown-linux-gnu", "-enable-experimental-feature", "Embedded",
                        "-no-allocations", "-wmo", "-parse-as-library", "-O", "-target-cpu", "haswell"]
        try FileManager.default.createDirectory(atPath: "\(dir)/modules", withIntermediateDirectories: false)
        let steps: [(String, [String])] = [
            (swiftc, embedded + ["-module-name", "TinyNN", "-emit-module", "-emit-module-path",
                                 "modules/TinyNN.swiftmodule"] + core + ["-c", "-o", "TinyNN.o"]),
            (swiftc, embedded + ["-module-name", "CAPI", "-I", "modules", "\(packageRoot)/Firmware/CAPI/CAPI.swift",
                                 "-c", "-o", "CAPI.o"]),
            (gcc, ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I\(packageRoot)/Firmware/Support",
                   "-I\(packageRoot)/Firmware/CAPI", "-I\(Self.app)", "-c", "\(Self.app)/main.c", "-o", "main.o"]),
            (gcc, ["-std=c99", "-I\(packageRoot)/Firmware/Support", "-c", "shim.c", "-o", "shim.o"]),
            (gcc, ["main.o", "shim.o", "CAPI.o", "TinyNN.o", "-lm", "-o", "c-inference"]),
            (gcc, ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I\(packageRoot)/Firmware/CAPI",
                   "checks.c", "CAPI.o", "TinyNN.o", "-lm", "-o", "checks"]),
        ]
        try FileIO.writeAtomically(Self.shim, to: "\(dir)/shim.c")
        try FileIO.writeAtomically(Self.checks, to: "\(dir)/checks.c")
        for (tool, arguments) in steps {
            let r = try runProcess(tool, arguments, in: dir)
            try #require(r.status == 0, "\(tool) \(arguments.suffix(4)) failed:\n\(r.stderr)")
        }

        // The example firmware: its lines are `tinynn predict --bits` lines.
        let run = try runProcess("\(dir)/c-inference", [])
        #expect(run.status == 0, "\(run.stdout)")
        let model = try ModelFile.load("\(Self.app)/digits.tnn")
        let data = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 5).dataset()
        var expected: [String] = []
        for i in 0..<5 {
            let y = try model.predict(Array(data.sample(i)))
            expected.append(([String(Model.predictedClass(y))] + y.map { String(ModelFile.hex($0.bitPattern).dropFirst(2)) })
                .joined(separator: " "))
        }
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.filter { $0.first?.isNumber == true }) == expected)
        #expect(lines.contains("model digits: 64-16-10, scratch 116 floats, parameter CRC-32 "
                               + "\(ModelFile.hex(CHeader.parameterCRC(model.network))) ok"))
        #expect(lines.last == "PASS")

        // Known answers: raw x = (3, 1) gives 3 − 1 + ½ = 2.5 → class 1; (0, 1) gives −0.5 → 0;
        // scaled x′ = ((3−1)·2, (1−1)·2) = (4, 0) gives 4.5. Errors: NULL −1, bad model −2.
        let checks = try runProcess("\(dir)/checks", [])
        #expect(checks.stdout == """
            scratch 4
            raw 1 2.5
            raw 0 -0.5
            scaled 1 4.5
            no y 1
            errors -1 -1 -1 -2 -2
            scale 4 0

            """)
    }
}
