import TinyNN

extension QuantizedModel {
    static let tag = "INT8"

    /// Payload, little-endian: u8 calibration, u8 layer count L, 2 zero;
    /// f32 input scale, i32 input zero point, i32 softmax β, i32 class
    /// threshold; then per layer: u8 activation, 3 zero, u32 In, u32 Out,
    /// i32 shift, i32 negative shift, i32 zero point, f32 output scale,
    /// i32 output zero point, i8 w[Out][In] zero-padded to 4, i32 b[Out],
    /// i32 multiplier[Out], (leaky ReLU) i32 negative multiplier[Out],
    /// (sigmoid, tanh) i8 table[256].
    var section: ModelFileSection {
        var w = SectionWriter()
        w.u8(calibration.rawValue); w.u8(UInt8(layers.count)); w.u8(0); w.u8(0)
        w.f32(inputScale)
        for v in [inputZeroPoint, softmaxBeta, classThreshold] { w.u32(UInt32(bitPattern: v)) }
        for layer in layers {
            w.u8(layer.activation.rawValue); w.u8(0); w.u8(0); w.u8(0)
            w.u32(UInt32(layer.inCount)); w.u32(UInt32(layer.outCount))
            for v in [layer.shift, layer.negativeShift, layer.zeroPoint] { w.u32(UInt32(bitPattern: v)) }
            w.f32(layer.outputScale); w.u32(UInt32(bitPattern: layer.outputZeroPoint))
            w.bytes += layer.w.map { UInt8(bitPattern: $0) }
            while w.bytes.count % 4 != 0 { w.u8(0) }
            for v in layer.b + layer.multiplier + layer.negativeMultiplier { w.u32(UInt32(bitPattern: v)) }
            w.bytes += layer.table.map { UInt8(bitPattern: $0) }
        }
        return ModelFileSection(tag: Self.tag, payload: w.bytes)
    }

    /// Reads the section and checks it against the float network it was made from.
    init(section payload: [UInt8], network: Network) throws(SectionProblem) {
        var r = SectionReader(payload)
        func i32(_ what: String) throws(SectionProblem) -> Int32 { Int32(bitPattern: try r.u32(what)) }
        let code = try r.u8("the calibration")
        guard let calibration = Calibration(rawValue: code) else { throw SectionProblem("unknown calibration \(code)") }
        let count = Int(try r.u8("the layer count"))
        guard try r.take(2, "reserved bytes").allSatisfy({ $0 == 0 }) else { throw SectionProblem("reserved bytes are not zero") }
        guard count == network.layerCount else {
            throw SectionProblem("\(count) int8 layers for a network of \(network.layerCount)")
        }
        self.calibration = calibration
        inputScale = try r.f32("the input scale"); inputZeroPoint = try i32("the input zero point")
        softmaxBeta = try i32("the softmax beta"); classThreshold = try i32("the class threshold")
        guard inputScale.isFinite, inputScale > 0 else { throw SectionProblem("input scale \(inputScale) is not positive") }
        guard (-128...127).contains(inputZeroPoint) else { throw SectionProblem("input zero point \(inputZeroPoint)") }
        layers = []
        for l in 0..<count {
            let raw = try r.u8("layer \(l + 1)'s activation")
            guard try r.take(3, "reserved bytes").allSatisfy({ $0 == 0 }) else { throw SectionProblem("reserved bytes are not zero") }
            let n = Int(try r.u32("layer \(l + 1)'s input width")), m = Int(try r.u32("layer \(l + 1)'s output width"))
            guard Activation(rawValue: raw) == network.activations[l], n == network.widths[l], m == network.widths[l + 1] else {
                throw SectionProblem("layer \(l + 1) is not the float network's (\(n) -> \(m), activation \(raw))")
            }
            let activation = network.activations[l]
            let shift = try i32("the shift"), negativeShift = try i32("the negative shift"), zp = try i32("the zero point")
            let outputScale = try r.f32("the output scale"), outputZP = try i32("the output zero point")
            guard (-31...30).contains(shift), (-31...30).contains(negativeShift) else {
                throw SectionProblem("layer \(l + 1): shift \(shift) or \(negativeShift) outside -31...30")
            }
            guard (-128...127).contains(zp), (-128...127).contains(outputZP), outputScale.isFinite, outputScale > 0 else {
                throw SectionProblem("layer \(l + 1): zero point or output scale out of range")
            }
            let w = try r.take(n * m, "layer \(l + 1)'s weights").map { Int8(bitPattern: $0) }
            _ = try r.take((4 - (n * m) % 4) % 4, "padding")
            func words(_ k: Int, _ what: String) throws(SectionProblem) -> [Int32] {
                var v: [Int32] = []
                for _ in 0..<k { v.append(try i32(what)) }
                return v
            }
            let b = try words(m, "layer \(l + 1)'s biases"), mult = try words(m, "layer \(l + 1)'s multipliers")
            let negative = activation == .leakyReLU ? try words(m, "layer \(l + 1)'s negative multipliers") : []
            let table = activation == .sigmoid || activation == .tanh
                ? try r.take(256, "layer \(l + 1)'s table").map { Int8(bitPattern: $0) } : []
            guard (mult + negative).allSatisfy({ $0 >= 0 }) else { throw SectionProblem("layer \(l + 1): a negative multiplier") }
            layers.append(Layer(activation: activation, inCount: n, outCount: m, w: w, b: b, multiplier: mult, shift: shift,
                                negativeMultiplier: negative, negativeShift: negativeShift, zeroPoint: zp,
                                outputScale: outputScale, outputZeroPoint: outputZP, table: table))
        }
        try r.finish()
        if layers.last!.activation == .softmax {
            guard (1...(1 << 23)).contains(softmaxBeta) else { throw SectionProblem("softmax beta \(softmaxBeta) outside 1...2^23") }
        }
    }
}
