// The model header (from `tinynn export`) as the firmware sees it, through
// the functions of the generated model_glue.c, and the start-up check that
// it is the network the firmware was compiled for (BuiltModel, generated).
// Shared with the bench app, whose generator copies this file.
import TinyNN

@_extern(c, "model_header_layers") func model_header_layers() -> Int32
@_extern(c, "model_header_width") func model_header_width(_ i: Int32) -> Int32
@_extern(c, "model_header_activation") func model_header_activation(_ l: Int32) -> Int32
@_extern(c, "model_header_weights") func model_header_weights(_ l: Int32) -> UnsafePointer<Float>?
@_extern(c, "model_header_biases") func model_header_biases(_ l: Int32) -> UnsafePointer<Float>?
@_extern(c, "model_header_input_offset") func model_header_input_offset() -> UnsafePointer<Float>?
@_extern(c, "model_header_input_scale") func model_header_input_scale() -> UnsafePointer<Float>?

enum ModelHeader {
    /// Layer `l`'s weights, `[Out][In]`, in flash. Valid after ``check(_:)``.
    static func weights(_ l: Int) -> UnsafePointer<Float> {
        model_header_weights(Int32(truncatingIfNeeded: l))!
    }

    /// Layer `l`'s biases, `[Out]`, in flash. Valid after ``check(_:)``.
    static func biases(_ l: Int) -> UnsafePointer<Float> {
        model_header_biases(Int32(truncatingIfNeeded: l))!
    }

    /// Whether the header's layer count, widths and activations are those
    /// of BuiltModel. If not, prints one line, `APP: model header is
    /// 64-16-10 but this firmware was built for 64-32-10`.
    static func check(_ app: StaticString) -> Bool {
        let layers = Int(model_header_layers())
        var sameWidths = layers == BuiltModel.layerCount
        var sameActivations = sameWidths
        if sameWidths {
            for i in 0...layers where Int(model_header_width(Int32(truncatingIfNeeded: i))) != BuiltModel.width(i) {
                sameWidths = false
            }
            for l in 1...layers
            where model_header_activation(Int32(truncatingIfNeeded: l)) != Int32(BuiltModel.activation(l).rawValue) {
                sameActivations = false
            }
        }
        if sameWidths && sameActivations { return true }
        Console.write(app)
        Console.write(": model header is ")
        for i in 0...layers {
            if i > 0 { Console.write("-") }
            Console.writeInt(Int(model_header_width(Int32(truncatingIfNeeded: i))))
        }
        if sameWidths {
            Console.write(" (")
            for l in 1...layers {
                if l > 1 { Console.write(", ") }
                Console.write(name(of: model_header_activation(Int32(truncatingIfNeeded: l))))
            }
            Console.write(")")
        }
        Console.write(" but this firmware was built for ")
        Console.write(BuiltModel.shape)
        if sameWidths {
            Console.write(" (")
            Console.write(BuiltModel.activationNames)
            Console.write(")")
        }
        Console.newline()
        return false
    }

    /// The `tinynn` name of an activation's raw value.
    static func name(of activation: Int32) -> StaticString {
        switch activation {
        case 0: "identity"
        case 1: "sigmoid"
        case 2: "tanh"
        case 3: "relu"
        case 4: "leaky-relu"
        case 5: "softmax"
        default: "unknown"
        }
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
