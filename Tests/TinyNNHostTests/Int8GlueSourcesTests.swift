import Testing
import Foundation
import TinyNNHost

/// The int8 app's generated C glue: one accessor case per layer of the header
/// it was given, and a float header or float vectors refused before compiling.
@Suite struct Int8GlueSourcesTests {
    let model = """
        #define TINYNN_DIGITS_INT8 1
        #define TINYNN_DIGITS_LAYERS 2
        #define TINYNN_DIGITS_INPUTS 64
        """
    let vectors = "#define TINYNN_VECTORS_INT8 1\n#define TINYNN_VECTORS_COUNT 3\n"

    @Test func glueFollowsTheHeadersLayers() throws {
        let g = try Int8GlueSources(modelPath: "/m/digits.h", modelHeader: model, vectorsPath: "/m/v.h", vectorsHeader: vectors)
        #expect(g.files.map(\.name) == ["model_glue.c", "vectors_glue.c"])
        let glue = g.files[0].text
        #expect(glue.contains("#include \"/m/digits.h\""))
        #expect(glue.contains("static int32_t z2[TINYNN_DIGITS_WIDTH_2];"))
        #expect(!glue.contains("z3"))
        #expect(glue.contains("    case 0: return TINYNN_DIGITS_WIDTH_0;"))
        #expect(glue.contains("const int8_t *int8_weights(int32_t l) { return tinynn_digits_weights(l); }"))
        #expect(g.files[1].text.contains("_Static_assert(TINYNN_VECTORS_FEATURES == TINYNN_DIGITS_INPUTS"))
    }

    @Test func floatHeadersAreRefused() {
        let float = "#define TINYNN_DIGITS_LAYERS 2\n"
        #expect(throws: FirmwareError.self) {
            try Int8GlueSources(modelPath: "f.h", modelHeader: float, vectorsPath: "v.h", vectorsHeader: vectors)
        }
        #expect(throws: FirmwareError.self) {
            try Int8GlueSources(modelPath: "m.h", modelHeader: model, vectorsPath: "v.h", vectorsHeader: "#define TINYNN_VECTORS_COUNT 3\n")
        }
        let deep = model.replacingOccurrences(of: "LAYERS 2", with: "LAYERS 9")
        #expect(throws: FirmwareError.self) {
            try Int8GlueSources(modelPath: "m.h", modelHeader: deep, vectorsPath: "v.h", vectorsHeader: vectors)
        }
    }
}
