import Testing
import TinyNN
import TinyNNHost

/// The `STOP` section: an exact round trip, a fixed payload, and damage refused.
struct StoppingRecordTests {
    static let record = StoppingRecord(rule: EarlyStopping(patience: 10, evalEvery: 2), maxEpochs: 200, epochsRun: 48,
                                       keptEpoch: 28, keptLoss: 0.0625, reason: .patience)

    static func model() throws -> Model {
        var m = try ModelFileTests.trainedModel(epochs: 1)
        m.stopping = record
        return m
    }

    @Test func roundTrip() throws {
        let bytes = ModelFile.encode(try Self.model())
        let plain = ModelFile.encode(try ModelFileTests.trainedModel(epochs: 1))
        // STOP, length 25 (5 u32, 1 f32, 1 u8), 3 bytes of padding, before the CRC.
        let start = plain.count - 4
        #expect(Array(bytes[start..<(start + 4)]) == Array("STOP".utf8))
        #expect(bytes[start + 4] == 25 && bytes.count == plain.count + 8 + 28)
        let back = try ModelFile.decode(bytes, file: "m.tnn")
        #expect(back.stopping == Self.record)
        #expect(try ModelFile.decode(plain, file: "m.tnn").stopping == nil)
        #expect(Self.record.summary == "stopped after epoch 48 of 200: no better held-out loss in 10 evaluations;"
                + " kept epoch 28 (held-out loss 0.0625); evaluated every 2 epochs")
    }

    @Test func damageIsRefused() throws {
        let good = ModelFile.encode(try Self.model())
        let start = ModelFile.encode(try ModelFileTests.trainedModel(epochs: 1)).count - 4
        func problem(_ bytes: [UInt8]) -> String {
            do { _ = try ModelFile.decode(ModelFileTests().resealed(bytes), file: "m.tnn"); return "no error" } catch {
                return error.description
            }
        }
        var reason = good; reason[start + 8 + 24] = 7
        #expect(problem(reason) == "m.tnn: section 'STOP': unknown reason 7")
        var kept = good; kept[start + 8 + 16] = 49  // kept epoch 49 of 48 run
        #expect(problem(kept) == "m.tnn: section 'STOP': kept epoch 49 of 48 run of at most 200")
        #expect(problem(good) == "no error")
    }
}
