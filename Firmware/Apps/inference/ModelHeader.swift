// The model header (from `tinynn export`) as the firmware sees it, through
// the functions of the generated model_glue.c, and the start-up check that
// it is the network the firmware was compiled for (BuiltModel, generated).
// Shared with the bench app, whose generator copies this file.
import TinyNN

@_extern(c, "model_header_check") func model_header_check() -> Int32
@_extern(c, "model_header_crc") func model_header_crc() -> UInt32
@_extern(c, "model_header_weights") func model_header_weights(_ l: Int32) -> UnsafePointer<Float>?
@_extern(c, "model_header_biases") func model_header_biases(_ l: Int32) -> UnsafePointer<Float>?
@_extern(c, "model_header_input_offset") func model_header_input_offset() -> UnsafePointer<Float>?
@_extern(c, "model_header_input_scale") func model_header_input_scale() -> UnsafePointer<Float>?
@_extern(c, "model_header_leaky_slope") func model_header_leaky_slope(_ l: Int32) -> Float

enum ModelHeader {
    /// Layer `l`'s weights, `[Out][In]`, in flash. Valid after ``check()``.
    static func weights(_ l: Int) -> UnsafePointer<Float> {
        model_header_weights(Int32(truncatingIfNeeded: l))!
    }

    /// Layer `l`'s biases, `[Out]`, in flash. Valid after ``check()``.
    static func biases(_ l: Int) -> UnsafePointer<Float> {
        model_header_biases(Int32(truncatingIfNeeded: l))!
    }

    /// Layer `l`'s leaky ReLU slope, the header's `TINYNN_NAME_LEAKY_SLOPE_l`
    /// (asked only for a leaky ReLU layer). Valid after ``check()``.
    static func leakySlope(_ l: Int) -> Float {
        model_header_leaky_slope(Int32(truncatingIfNeeded: l))
    }

    /// The header's `TINYNN_NAME_CRC32`, the CRC-32 of its parameters.
    static var crc: UInt32 { model_header_crc() }

    /// Whether the header's layer count, widths and activations are those
    /// of BuiltModel. If not, prints one line, `APP: model header is
    /// 64-16-10 but this firmware was built for 64-32-10`. The C compiler
    /// decides it from the header's macros when it compiles model_glue.c, so
    /// a matching firmware carries neither the comparison nor the message.
    static func check() -> Bool {
        model_header_check() != 0
    }

    /// Runs `body` on the network's input for raw features `x`: the
    /// header's input scaling applied (the kernel `tinynn predict` applies),
    /// or `x` itself when the model has none.  x: `[BuiltModel.inputCount]`.
    static func withScaledInput<R>(_ x: UnsafePointer<Float>, _ body: (UnsafePointer<Float>) -> R) -> R {
        guard let offset = model_header_input_offset(), let scale = model_header_input_scale() else { return body(x) }
        return withUnsafeMutablePointer(to: &modelScaledInput) { p in
            let out = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
            InputScaling.apply(x, offset: offset, scale: scale, into: out, count: BuiltModel.inputCount)
            return body(UnsafePointer(out))
        }
    }
}
