import Foundation
import Testing
import TinyNNHost

/// The protobuf reader under damaged input: every failure is a thrown
/// ``ProtobufError`` or ``ONNXImportError``, never a trap.
@Suite struct ProtobufTests {
    static let valid = [UInt8](FileManager.default.contents(atPath: "\(ONNXImportTests.fixtures)/torch-mlp.onnx")!)

    /// Parses and converts; true if it was refused with an error.
    static func refused(_ bytes: [UInt8]) -> Bool {
        do { _ = try ONNXImport.convert(bytes, file: "fuzz.onnx"); return false } catch { return true }
    }

    @Test func everyTruncationIsHandled() {
        #expect(!Self.refused(Self.valid), "the untouched file imports")
        var refusedCount = 0
        for n in 0..<Self.valid.count where Self.refused(Array(Self.valid.prefix(n))) { refusedCount += 1 }
        // A cut at a top-level field boundary after the graph (in the opset import
        // or later) can still be a valid model; every other cut must be refused.
        #expect(refusedCount >= Self.valid.count - 40, "\(refusedCount) of \(Self.valid.count) prefixes refused")
    }

    @Test func badVarintsAndLengths() {
        func error(_ bytes: [UInt8]) -> String? {
            do { _ = try ONNXModel(bytes: bytes); return nil } catch { return error.description }
        }
        #expect(error([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]) == "varint longer than 64 bits at byte 1")
        #expect(error([0x08] + [UInt8](repeating: 0x80, count: 11)) == "varint longer than 64 bits at byte 1")
        #expect(error([0x08, 0x80]) == "truncated varint at byte 1")
        #expect(error([0x3A, 0x05, 0x0A]) == "length 5 runs past the end of the message (1 bytes left) at byte 1")
        #expect(error([0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])?.hasPrefix("length 9223372036854775807 runs past") == true)
        #expect(error([0x0B]) == "unsupported wire type 3 of field 1 at byte 0")
        #expect(error([0x00]) == "field number 0 out of range at byte 0")
        #expect(error([0x4D, 0x01, 0x02]) == "truncated 32-bit field at byte 1")
        #expect(error([0x08, 0x01]) == "no graph (not an ONNX model file?) at byte 0")
        #expect(error([0x10, 0x01]) == "field producer_name has wire type 0, expected 2 at byte 1")
    }

    @Test func absurdNestingDepth() {
        // 200,000 levels of a length-delimited field inside the graph: field 100
        // (unknown) and field 7 (unknown in a graph, the graph in a model) are
        // skipped whole, not descended into.
        for key: [UInt8] in [[0xA2, 0x06], [0x3A]] {
            // Innermost level first: each header's length covers all levels inside it.
            var headers: [[UInt8]] = [], inside = 0
            for _ in 0..<200_000 { let h = key + varint(inside); inside += h.count; headers.append(h) }
            let payload = Array(headers.reversed().joined())
            let model = [0x3A] + varint(payload.count) + payload
            #expect(model.count > 200_000)
            #expect(throws: ONNXImportError(file: "fuzz.onnx", problem: "the graph has 0 inputs (); a chain of dense layers has one")) {
                try ONNXImport.convert(model, file: "fuzz.onnx")
            }
        }
    }

    @Test func randomByteFlips() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var refusedCount = 0
        for _ in 0..<3000 {
            var bytes = Self.valid
            for _ in 0..<(1 + next() % 4) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            if Self.refused(bytes) { refusedCount += 1 }
        }
        // Most flips land in weights (still a valid file); some must hit the structure.
        #expect(refusedCount > 0)
    }

    func varint(_ n: Int) -> [UInt8] {
        var v = UInt64(n), out: [UInt8] = []
        repeat { out.append(UInt8(v & 0x7F) | (v >= 0x80 ? 0x80 : 0)); v >>= 7 } while v != 0
        return out
    }
}
