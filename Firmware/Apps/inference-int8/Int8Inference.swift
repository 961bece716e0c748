// inference-int8: runs an int8 model exported by `tinynn export` (of a
// `tinynn quantize`d model) on int8 test vectors, integer arithmetic only,
// the arrays read in place from flash, and prints BitDump's lines: `model
// crc 0x...` (the int8 arrays' CRC-32), `vectors N crc 0x...`, then per
// vector `y INDEX` and each int8 output (softmax: the logits, then the
// integer softmax's probabilities) as its int32 bit pattern, what `tinynn
// predict --bits` prints. Then the instruction counts of the forward pass
// (under -icount shift=0, Scripts/run-firmware --icount): whole inference
// (layers, softmax, class), the dense kernels alone and the output stage
// alone (probabilities and class).
import TinyNN

@_extern(c, "int8_layers") func int8_layers() -> Int32
@_extern(c, "int8_crc") func int8_crc() -> UInt32
@_extern(c, "int8_softmax_beta") func int8_softmax_beta() -> Int32
@_extern(c, "int8_class_threshold") func int8_class_threshold() -> Int32
@_extern(c, "int8_probabilities") func int8_probabilities() -> UnsafeMutablePointer<Int8>
@_extern(c, "int8_weights") func int8_weights(_ l: Int32) -> UnsafePointer<Int8>?
@_extern(c, "int8_biases") func int8_biases(_ l: Int32) -> UnsafePointer<Int32>?
@_extern(c, "int8_multipliers") func int8_multipliers(_ l: Int32) -> UnsafePointer<Int32>?
@_extern(c, "int8_negative_multipliers") func int8_negative_multipliers(_ l: Int32) -> UnsafePointer<Int32>?
@_extern(c, "int8_table") func int8_table(_ l: Int32) -> UnsafePointer<Int8>?
@_extern(c, "int8_width") func int8_width(_ i: Int32) -> Int32
@_extern(c, "int8_activation") func int8_activation(_ l: Int32) -> Int32
@_extern(c, "int8_shift") func int8_shift(_ l: Int32) -> Int32
@_extern(c, "int8_negative_shift") func int8_negative_shift(_ l: Int32) -> Int32
@_extern(c, "int8_zero_point") func int8_zero_point(_ l: Int32) -> Int32
@_extern(c, "int8_scratch_z") func int8_scratch_z(_ l: Int32) -> UnsafeMutablePointer<Int32>?
@_extern(c, "int8_scratch_a") func int8_scratch_a(_ l: Int32) -> UnsafeMutablePointer<Int8>?
@_extern(c, "vectors_count") func vectors_count() -> Int32
@_extern(c, "vectors_data") func vectors_data() -> UnsafePointer<Int8>
@_extern(c, "vectors_crc") func vectors_crc() -> UInt32
@_extern(c, "board_clock_ticks") func board_clock_ticks() -> UInt32
@_extern(c, "board_clock_tick_ps") func board_clock_tick_ps() -> UInt32
@_extern(c, "support_opaque_u32") func support_opaque_u32(_ value: UInt32) -> UInt32
@_extern(c, "support_stack_paint") func supportStackPaint()
@_extern(c, "support_stack_peak") func supportStackPeak() -> UInt32

/// The header's network as the core's engine sees it.
func builtNetwork() -> Int8NetworkView {
    var net = Int8NetworkView(softmaxBeta: int8_softmax_beta(), classThreshold: int8_class_threshold())
    for l in 1...Int32(int8_layers()) {
        net.append(Int8LayerView(
            inCount: Int(int8_width(l - 1)), outCount: Int(int8_width(l)),
            activation: Activation(rawValue: UInt8(truncatingIfNeeded: int8_activation(l)))!,
            w: int8_weights(l)!, b: int8_biases(l)!, multiplier: int8_multipliers(l)!, shift: int8_shift(l),
            negativeMultiplier: int8_negative_multipliers(l), negativeShift: int8_negative_shift(l),
            zeroPoint: int8_zero_point(l), table: int8_table(l), z: int8_scratch_z(l)!, a: int8_scratch_a(l)!))
    }
    return net
}

/// One inference: the layers, then (softmax) the probabilities, and the class.
@inline(__always)
func infer(_ net: inout Int8NetworkView, _ x: UnsafePointer<Int8>, softmax: Bool) -> Int {
    net.forward(x)
    if softmax { net.probabilities(into: int8_probabilities()) }
    return net.predictedClass()
}

/// The dense kernel the core selects (the portable eight-row one, or a
/// board's assembly kernel of Support/dense_int8_*.c) against the one-row
/// definition, `Int8Kernels.denseReference`, for In 1...33 and Out 1...17
/// (every tail of eight-, four- and two-row tilings) on seeded random int8
/// values: the first difference prints one line and fails the run.
func kernelsAgree() -> Bool {
    var w = InlineArray<561, Int8>(repeating: 0), x = InlineArray<33, Int8>(repeating: 0)
    var b = InlineArray<17, Int32>(repeating: 0), z1 = InlineArray<17, Int32>(repeating: 0)
    var z2 = InlineArray<17, Int32>(repeating: 0)
    var random = Random(seed: 16)
    var shapes = 0
    for n in 1...33 {
        for m in 1...17 {
            for k in 0..<(n * m) { w[k] = Int8(truncatingIfNeeded: random.next()) }
            for k in 0..<n { x[k] = Int8(truncatingIfNeeded: random.next()) }
            for k in 0..<m { b[k] = Int32(bitPattern: random.next()) &>> 8 }
            let equal = withUnsafeMutablePointer(to: &w) { wp in withUnsafeMutablePointer(to: &x) { xp in
                withUnsafeMutablePointer(to: &b) { bp in withUnsafeMutablePointer(to: &z1) { z1p in
                    withUnsafeMutablePointer(to: &z2) { z2p in
                        let w = UnsafeRawPointer(wp).assumingMemoryBound(to: Int8.self)
                        let x = UnsafeRawPointer(xp).assumingMemoryBound(to: Int8.self)
                        let b = UnsafeRawPointer(bp).assumingMemoryBound(to: Int32.self)
                        let z1 = UnsafeMutableRawPointer(z1p).assumingMemoryBound(to: Int32.self)
                        let z2 = UnsafeMutableRawPointer(z2p).assumingMemoryBound(to: Int32.self)
                        Int8Kernels.dense(w: w, b: b, x: x, z: z1, inCount: n, outCount: m)
                        Int8Kernels.denseReference(w: w, b: b, x: x, z: z2, inCount: n, outCount: m)
                        for j in 0..<m where z1[j] != z2[j] { return false }
                        return true
                    }
                } }
            } }
            guard equal else {
                Console.write("inference-int8: the dense kernel differs from the Swift one for In ")
                Console.writeInt(n)
                Console.write(", Out ")
                Console.writeInt(m)
                Console.newline()
                return false
            }
            shapes += 1
        }
    }
    Console.write("kernel check: ")
    Console.writeInt(shapes)
    Console.write(" shapes equal to Int8Kernels.denseReference")
    Console.newline()
    return true
}

func report(_ name: StaticString, runs: Int, ticks: UInt32) {
    Console.write(name)
    Console.write(" runs ")
    Console.writeInt(runs)
    Console.write(" ticks ")
    Console.writeInt(Int(ticks))
    Console.write(" tick_ps ")
    Console.writeInt(Int(board_clock_tick_ps()))
    Console.newline()
}

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    supportStackPaint()
    Console.write("inference-int8: ")
    Console.writeBoardName()
    Console.newline()
    guard kernelsAgree(), requantizeAgrees(), softmaxAgrees() else { return 1 }
    var net = builtNetwork()
    let softmax = net.outputActivation == .softmax
    let count = Int(vectors_count()), features = net.inputCount, vectors = vectors_data()
    Console.write("model crc ")
    Console.writeHex(int8_crc())
    Console.newline()
    Console.write("vectors ")
    Console.writeInt(count)
    Console.write(" crc ")
    Console.writeHex(vectors_crc())
    Console.newline()
    for v in 0..<count {
        _ = infer(&net, vectors + v * features, softmax: softmax)
        let out = net[net.layerCount - 1].a
        Console.write("y ")
        Console.writeInt(v)
        for k in 0..<net.outputCount {
            Console.write(" ")
            Console.writeHex(UInt32(bitPattern: Int32(out[k])))
        }
        if softmax {
            for k in 0..<net.outputCount {
                Console.write(" ")
                Console.writeHex(UInt32(bitPattern: Int32(int8_probabilities()[k])))
            }
        }
        Console.newline()
    }
    Console.write("stack peak ")
    Console.writeInt(Int(supportStackPeak()))
    Console.newline()

    // Instruction counts (meaningful under -icount shift=0): each loop minus the same loop without the work.
    var macs = 0
    for l in 0..<net.layerCount { macs += net[l].inCount * net[l].outCount }
    let runs = 32
    var sink = 0
    let t0 = board_clock_ticks()
    for r in 0..<runs { sink &+= infer(&net, vectors + (r % count) * features, softmax: softmax) }
    let t1 = board_clock_ticks()
    for r in 0..<runs { sink &+= Int(vectors[(r % count) * features]) }
    let t2 = board_clock_ticks()
    for r in 0..<runs {
        var input = vectors + (r % count) * features
        for l in 0..<net.layerCount {
            let layer = net[l]
            Int8Kernels.dense(w: layer.w, b: layer.b, x: input, z: layer.z, inCount: layer.inCount, outCount: layer.outCount)
            input = UnsafePointer(layer.a)
        }
    }
    let t3 = board_clock_ticks()
    // The output stage alone (probabilities and class) on the last forward pass's logits.
    for _ in 0..<runs {
        if softmax { net.probabilities(into: int8_probabilities()) }
        sink &+= net.predictedClass()
    }
    let t4 = board_clock_ticks()
    for r in 0..<runs { sink &+= Int(vectors[(r % count) * features]) }
    let t5 = board_clock_ticks()
    if support_opaque_u32(UInt32(truncatingIfNeeded: sink)) == 1 { Console.write("") }
    report("inference", runs: runs, ticks: (t1 &- t0) &- (t2 &- t1))
    report("dense", runs: runs, ticks: (t3 &- t2) &- (t2 &- t1))
    report("output", runs: runs, ticks: (t4 &- t3) &- (t5 &- t4))
    Console.write("macs ")
    Console.writeInt(macs)
    Console.newline()
    Console.write("inference-int8: done")
    Console.newline()
    return 0
}
