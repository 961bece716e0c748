// The C API's entry points (declared in Firmware/CAPI/tinynn.h): the core's
// layers (LayerView) over a model's arrays, for C firmware. Embedded-clean and
// allocation-free: the parameters are read where they are, and every
// activation goes into the caller's scratch memory.
import TinyNN

/// `tinynn_run`: one forward pass, `aˡ = σ(Wˡaˡ⁻¹ + bˡ)` from `a⁰ = x′`, where
/// `x′ = (x − offset)·scale` if the model has input scaling, else `x′ = x`.
///
/// Scratch layout: `[n₀]` scaled input, then for each layer `z [nₗ]`, `a [nₗ]`:
/// `n₀ + 2·Σnₗ` floats. C arguments may be NULL, so every pointer is optional.
/// - Returns: the predicted class (largest output, first of equals; one
///   output: 1 if above ½), −1 for a NULL that is needed, −2 for a bad shape
///   or activation.
@_cdecl("tinynn_run")
public func tinynnRun(
    _ layers: Int32, _ widths: UnsafePointer<Int32>?, _ activations: UnsafePointer<UInt8>?,
    _ weights: UnsafePointer<UnsafePointer<Float>?>?, _ biases: UnsafePointer<UnsafePointer<Float>?>?,
    _ inputOffset: UnsafePointer<Float>?, _ inputScale: UnsafePointer<Float>?,
    _ x: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>?, _ scratch: UnsafeMutablePointer<Float>?
) -> Int32 {
    guard let widths, let activations, let weights, let biases, let x, let scratch else { return -1 }
    let layerCount = Int(layers)
    guard layerCount >= 1 && layerCount <= NetworkView.maxLayers else { return -2 }
    for i in 0...layerCount where widths[i] < 1 { return -2 }

    let inputCount = Int(widths[0])
    var input = x
    if let inputOffset, let inputScale {
        InputScaling.apply(x, offset: inputOffset, scale: inputScale, into: scratch, count: inputCount)
        input = UnsafePointer(scratch)
    }
    // Layer by layer, as NetworkView.forward runs them (LayerView.forward:
    // the same kernels, so the same bits), without building a NetworkView:
    // its eight inline layer slots would be copied (memcpy) by every access.
    var free = scratch + inputCount
    var output = free
    var outputCount = 0
    for l in 0..<layerCount {
        guard let activation = Activation(rawValue: activations[l]) else { return -2 }
        guard let w = weights[l], let b = biases[l] else { return -1 }
        outputCount = Int(widths[l + 1])
        let layer = LayerView(inCount: Int(widths[l]), outCount: outputCount, activation: activation,
                              w: UnsafeMutablePointer(mutating: w), b: UnsafeMutablePointer(mutating: b),
                              z: free, a: free + outputCount)
        layer.forward(input)
        output = layer.a
        input = UnsafePointer(output)
        free += 2 * outputCount
    }
    if let y { for j in 0..<outputCount { y[j] = output[j] } }
    return Int32(truncatingIfNeeded: Kernels.predictedClass(output, count: outputCount))
}

/// `tinynn_scale_input`: `out[i] = (x[i] − offset[i])·scale[i]`, the core's
/// ``InputScaling/apply(_:offset:scale:into:count:)``.
@_cdecl("tinynn_scale_input")
public func tinynnScaleInput(
    _ x: UnsafePointer<Float>?, _ offset: UnsafePointer<Float>?, _ scale: UnsafePointer<Float>?,
    _ out: UnsafeMutablePointer<Float>?, _ count: Int32
) {
    guard let x, let offset, let scale, let out, count > 0 else { return }
    InputScaling.apply(x, offset: offset, scale: scale, into: out, count: Int(count))
}

/// `tinynn_int8_run`: one int8 forward pass, `aˡ = requantize(Wˡaˡ⁻¹ + bˡ)`
/// from `a⁰ = x` (int8), through the core's ``Int8NetworkView`` (its forward
/// pass, integer softmax and class rule), integer arithmetic only.
///
/// Scratch layout (int32 words): `z [nₗ]` of every layer, then `a [nₗ]` of
/// every layer as packed int8: `W + ⌈W/4⌉` words for `W = Σnₗ`.
/// `negativeMultipliers` and `tables` may be NULL or hold NULLs where no layer
/// needs them; `y` and `probabilities` may be NULL.
/// - Returns: the predicted class, −1 for a NULL that is needed, −2 for a bad
///   shape or activation (or a leaky ReLU layer without negative multipliers,
///   a sigmoid or tanh layer without its table).
@_cdecl("tinynn_int8_run")
public func tinynnInt8Run(
    _ layers: Int32, _ widths: UnsafePointer<Int32>?, _ activations: UnsafePointer<UInt8>?,
    _ weights: UnsafePointer<UnsafePointer<Int8>?>?, _ biases: UnsafePointer<UnsafePointer<Int32>?>?,
    _ multipliers: UnsafePointer<UnsafePointer<Int32>?>?, _ shifts: UnsafePointer<Int32>?,
    _ negativeMultipliers: UnsafePointer<UnsafePointer<Int32>?>?, _ negativeShifts: UnsafePointer<Int32>?,
    _ zeroPoints: UnsafePointer<Int32>?, _ tables: UnsafePointer<UnsafePointer<Int8>?>?,
    _ softmaxBeta: Int32, _ classThreshold: Int32,
    _ x: UnsafePointer<Int8>?, _ y: UnsafeMutablePointer<Int8>?, _ probabilities: UnsafeMutablePointer<Int8>?,
    _ scratch: UnsafeMutablePointer<Int32>?
) -> Int32 {
    guard let widths, let activations, let weights, let biases, let multipliers, let shifts, let negativeShifts,
          let zeroPoints, let x, let scratch else { return -1 }
    let layerCount = Int(layers)
    guard layerCount >= 1 && layerCount <= NetworkView.maxLayers else { return -2 }
    var sums = 0
    for i in 0...layerCount {
        guard widths[i] >= 1 else { return -2 }
        if i > 0 { sums += Int(widths[i]) }
    }
    var net = Int8NetworkView(softmaxBeta: softmaxBeta, classThreshold: classThreshold)
    var z = scratch
    var a = UnsafeMutableRawPointer(scratch + sums).assumingMemoryBound(to: Int8.self)
    for l in 0..<layerCount {
        guard let activation = Activation(rawValue: activations[l]) else { return -2 }
        guard let w = weights[l], let b = biases[l], let m = multipliers[l] else { return -1 }
        let negative = negativeMultipliers?[l], table = tables?[l]
        if activation == .leakyReLU && negative == nil { return -2 }
        if (activation == .sigmoid || activation == .tanh) && table == nil { return -2 }
        let outCount = Int(widths[l + 1])
        net.append(Int8LayerView(
            inCount: Int(widths[l]), outCount: outCount, activation: activation, w: w, b: b, multiplier: m,
            shift: shifts[l], negativeMultiplier: negative, negativeShift: negativeShifts[l], zeroPoint: zeroPoints[l],
            table: table, z: z, a: a))
        z += outCount
        a += outCount
    }
    let output = net.forward(x)
    let outputCount = net.outputCount
    if let y { for j in 0..<outputCount { y[j] = output[j] } }
    if let probabilities, net.outputActivation == .softmax { net.probabilities(into: probabilities) }
    return Int32(truncatingIfNeeded: net.predictedClass())
}
