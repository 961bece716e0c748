import TinyNNHost

/// What `info` and `predict` show of an int8 model.
enum Int8Info {
    /// The `on the target (int8)` lines of `tinynn info`.
    static func print(_ q: QuantizedModel, floatFlash: Int) {
        let weights = q.layers.reduce(0) { $0 + $1.w.count }
        let words = q.layers.reduce(0) { $0 + 4 * ($1.b.count + $1.multiplier.count + $1.negativeMultiplier.count) }
        let tables = q.layers.reduce(0) { $0 + $1.table.count }
        let ratio = formatFixed(100 * Double(q.flashBytes) / Double(floatFlash), digits: 1)
        Swift.print("on the target (int8, calibration \(q.calibration.name); the input arrives as int8):")
        Swift.print("  inference   flash \(InfoCommand.bytes(q.flashBytes)) (int8 weights \(InfoCommand.group(weights))"
                    + " + int32 biases and multipliers \(InfoCommand.group(words))"
                    + (tables > 0 ? " + tables \(InfoCommand.group(tables))" : "") + "), \(ratio)% of float32's \(InfoCommand.group(floatFlash))")
        let neurons = q.layers.reduce(0) { $0 + $1.outCount }
        Swift.print("              RAM \(InfoCommand.bytes(q.inferenceRAMBytes)) (int32 z and int8 a of \(neurons) neurons;"
                    + " input: \(q.layers[0].inCount) bytes\(q.hasSoftmax ? "; probabilities: \(q.outputCount) bytes" : ""))")
        Swift.print("  int8 CRC-32 \(ModelFile.hex(q.crc))")
    }

    /// `tinynn predict` of an int8 model: the class and the real outputs
    /// (softmax: the probabilities), or with `--bits` the firmware's line,
    /// `y ROW` and each integer output (softmax: logits, then probabilities)
    /// as its int32 bit pattern.
    static func predict(_ model: Model, _ samples: [(values: [Float], source: String)], bits: Bool) throws(Failure) {
        let q = model.quantized!, engine = Int8Engine(q)
        for (row, (x, source)) in samples.enumerated() {
            let r: Int8Engine.Result
            do { r = try model.runInt8(x, engine: engine) } catch { throw .data("\(source): \(error)") }
            if bits {
                Swift.print((["y", String(row)] + QuantizedModel.lineValues(r).map(ModelFile.hex)).joined(separator: " "))
            } else {
                Swift.print(([String(r.predictedClass)] + q.dequantized(r).map(\.description)).joined(separator: " "))
            }
        }
    }
}
