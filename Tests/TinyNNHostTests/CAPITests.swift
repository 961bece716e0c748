import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The C API (Firmware/CAPI) and the example C firmware
/// (Firmware/Examples/c-project: main.c and model_check.c over an exported
/// pair), built natively with the C API in Embedded Swift with
/// `-no-allocations` (the proof that CAPI.swift is firmware-clean) and run on
/// the host: the program must print the inference firmware's lines with the
/// bits the host computes.
@Suite(.serialized) struct CAPITests {
    static let example = "\(packageRoot)/Firmware/Examples/c-project"
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

    /// What a board's startup code, console and clock would give main.c.
    static let shim = """
        #include <stdio.h>
        #include "support.h"
        void support_console_putc(int c) { putchar(c); }
        const char *support_board(void) { return "host"; }
        uint32_t board_clock_ticks(void) { return 0; }
        uint32_t board_clock_tick_ps(void) { return 1000; }
        void support_stack_paint(void) {}
        uint32_t support_stack_peak(void) { return 0; }
        int main(void) { return (int)firmware_main(); }

        """

    @Test func cFirmwareComputesTheHostsBits() throws {
        let objects = try CHeaderPairTests.capi.get()
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gcc = try #require(findTool("gcc", "cc"), "no C compiler")
        let model = try ModelFileTests.trainedModel(epochs: 1)
        let pair = CHeaderPair.render(model, name: "digits", fileBase: "digits", source: "test")
        let all = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv", limit: 30).dataset(classCount: 10)
        let vectors = try TestVectors(all, source: "digits.csv")
        try FileIO.writeAtomically(pair.header, to: "\(dir)/digits.h")
        try FileIO.writeAtomically(pair.source, to: "\(dir)/digits.c")
        try FileIO.writeAtomically(vectors.header(), to: "\(dir)/vectors.h")
        try FileIO.writeAtomically(Self.shim, to: "\(dir)/shim.c")
        try FileIO.writeAtomically(Self.checks, to: "\(dir)/checks.c")
        // As the example's Makefile compiles it, less the board's flags.
        let example = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I\(packageRoot)/Firmware/Support",
                       "-I\(packageRoot)/Firmware/CAPI", "-I\(Self.example)", "-I.", "-DMODEL_HEADER=\"digits.h\"",
                       "-DMODEL_NAME=digits", "-DMODEL_UPPER=DIGITS", "-DVECTORS_HEADER=\"vectors.h\""]
        let steps: [[String]] = [
            example + ["-c", "\(Self.example)/main.c", "-o", "main.o"],
            example + ["-c", "\(Self.example)/model_check.c", "-o", "model_check.o"],
            example + ["-c", "digits.c", "-o", "digits.o"],
            ["-std=c99", "-I\(packageRoot)/Firmware/Support", "-c", "shim.c", "-o", "shim.o"],
            ["main.o", "model_check.o", "digits.o", "shim.o", "\(objects)/CAPI.o", "\(objects)/TinyNN.o", "-lm",
             "-o", "c-project"],
            ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I\(packageRoot)/Firmware/CAPI",
             "checks.c", "\(objects)/CAPI.o", "\(objects)/TinyNN.o", "-lm", "-o", "checks"],
        ]
        for arguments in steps {
            let r = try runProcess(gcc, arguments, in: dir)
            try #require(r.status == 0, "gcc \(arguments.suffix(4)) failed:\n\(r.stderr)")
        }

        // The example firmware prints the inference firmware's lines: equal to the host's, 30 rows.
        let run = try runProcess("\(dir)/c-project", [])
        #expect(run.status == 0, "\(run.stdout)")
        let check = FirmwareCheck(expected: try vectors.expected(for: model), output: run.stdout, labels: all.labels)
        #expect(check.isEqual && check.rows == 30 && check.outputs == 300,
                "\(check.refusal ?? check.firstDifference ?? "rows \(check.rows)")")
        #expect(run.stdout.hasSuffix("c-project: done\n"))
        // A flipped bit in one output (row 7's last hex digit) is a difference.
        let flipped = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("y 7 ") ? line.dropLast() + (line.last == "0" ? "1" : "0") : line
        }.joined(separator: "\n")
        #expect(flipped != run.stdout && flipped.count == run.stdout.count)
        #expect(!FirmwareCheck(expected: try vectors.expected(for: model), output: flipped, labels: all.labels).isEqual)

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
