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
    if outputCount == 1 { return output[0] > 0.5 ? 1 : 0 }
    var best = 0
    for j in 1..<outputCount where output[j] > output[best] { best = j }
    return Int32(truncatingIfNeeded: best)
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
