import TinyNN

/// The one line format in which the host and the firmware print a vector of
/// outputs bit for bit, so that comparing them is comparing text:
/// `y INDEX 0xBITS 0xBITS ...`, each float32 as `0x` and eight lowercase hex
/// digits (what `Console.writeBits` prints). `tinynn predict --bits`,
/// `tinynn vectors` and the inference firmware write it; ``parse(_:)`` reads it.
public enum BitDump {
    /// `0x3a6a0545` for a float with those bits.
    public static func bits(_ x: Float) -> String { ModelFile.hex(x.bitPattern) }

    /// `y 3 0x3a6a0545 0x3f7ffffe`.
    public static func line(_ index: Int, _ outputs: [Float]) -> String {
        (["y", String(index)] + outputs.map(bits)).joined(separator: " ")
    }

    /// The model's identity line, `model crc 0x1234abcd`: the CRC-32 of its
    /// parameters (``CHeader/parameterCRC(_:)``, `TINYNN_NAME_CRC32`).
    public static func modelLine(_ crc: UInt32) -> String { "model crc \(ModelFile.hex(crc))" }

    /// The test vectors' identity line, `vectors 359 crc 0x1234abcd`
    /// (``TestVectors/checksum``, `TINYNN_VECTORS_CRC32`).
    public static func vectorsLine(_ count: Int, _ crc: UInt32) -> String { "vectors \(count) crc \(ModelFile.hex(crc))" }

    /// Whether `text` is a line of the comparison: an identity or a `y` line.
    public static func isCompared(_ text: Substring) -> Bool {
        text.hasPrefix("y ") || text.hasPrefix("model crc ") || text.hasPrefix("vectors ")
    }

    /// The index and bit patterns of a `y` line, or nil if `text` is not one.
    public static func parse(_ text: Substring) -> (index: Int, bits: [UInt32])? {
        let words = text.split(separator: " ")
        guard words.count >= 2, words[0] == "y", let index = Int(words[1]), index >= 0 else { return nil }
        var bits: [UInt32] = []
        for w in words.dropFirst(2) {
            guard w.count == 10, w.hasPrefix("0x"), let b = UInt32(w.dropFirst(2), radix: 16) else { return nil }
            bits.append(b)
        }
        return (index, bits)
    }
}

extension BitDump {
    /// A trained model's values as labelled bit lines, what the train firmware
    /// prints for a run named `name`: `NAME loss 0x...` (the training loss),
    /// `NAME eta 0x...` (the learning rate), then per layer `l` (1-based)
    /// `NAME wl[j][i] 0x...` row by row and `NAME bl[j] 0x...`.
    public static func modelValues(_ model: Model, name: String) -> [String] {
        var lines = ["\(name) loss \(bits(model.training.trainingLoss))",
                     "\(name) eta \(bits(model.training.optimizer.learningRate))"]
        let net = model.network, p = net.flatParameters
        var k = 0
        for l in 1...net.layerCount {
            let inputs = net.widths[l - 1], outputs = net.widths[l]
            for j in 0..<outputs { for i in 0..<inputs { lines.append("\(name) w\(l)[\(j)][\(i)] \(bits(p[k]))"); k += 1 } }
            for j in 0..<outputs { lines.append("\(name) b\(l)[\(j)] \(bits(p[k]))"); k += 1 }
        }
        return lines
    }
}
