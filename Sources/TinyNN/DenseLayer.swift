/// A dense layer whose widths are part of its type: `Input` is
/// `InlineArray<In, Float>`, `Output` is `InlineArray<Out, Float>`, so
/// ``withNetwork(_:_:loss:_:)`` refuses to wire a layer to one of another
/// width at compile time.
public protocol DenseLayer {
    associatedtype Input
    associatedtype Output
    /// Lends the layer's storage to the engine as a ``LayerView``.
    mutating func withView<R>(_ body: (LayerView) -> R) -> R
}

/// A trainable dense layer whose parameters, activations and gradient sums
/// all live in the struct (static storage on the chip; no heap).
///
/// RAM: `2·In·Out + 5·Out` floats (w, gw; b, gb, z, a, δ). Trained with SGD
/// (the optimizer state of momentum or Adam is not kept here).
public struct Dense<let In: Int, let Out: Int>: DenseLayer {
    public typealias Input = InlineArray<In, Float>
    public typealias Output = InlineArray<Out, Float>

    /// `w[j][i]`: the weight from input `i` to neuron `j`.
    public var w: InlineArray<Out, InlineArray<In, Float>>
    public var b: InlineArray<Out, Float>
    public var activation: Activation
    /// Leaky ReLU's slope for z ≤ 0 (``LayerView/leakySlope``).
    public var leakySlope: Float
    public var z: InlineArray<Out, Float>
    public var a: InlineArray<Out, Float>
    public var delta: InlineArray<Out, Float>
    public var gw: InlineArray<Out, InlineArray<In, Float>>
    public var gb: InlineArray<Out, Float>

    /// A layer with zero parameters; see ``initialize(_:random:)``.
    public init(activation: Activation, leakySlope: Float = Activation.defaultLeakySlope) {
        self.activation = activation; self.leakySlope = leakySlope
        w = InlineArray(repeating: InlineArray(repeating: 0))
        gw = w
        b = InlineArray(repeating: 0)
        z = b; a = b; delta = b; gb = b
    }

    /// Draws w and b from `initializer` with `random`.
    public mutating func initialize(_ initializer: Initializer, random: inout Random) {
        withView { v in
            initializer.initialize(w: v.w, b: v.b, inCount: In, outCount: Out, random: &random)
        }
    }

    public mutating func withView<R>(_ body: (LayerView) -> R) -> R {
        let (activation, leakySlope) = (activation, leakySlope)
        return withFloats(&w) { w in withFloats(&b) { b in withFloats(&z) { z in withFloats(&a) { a in
            withFloats(&delta) { d in withFloats(&gw) { gw in withFloats(&gb) { gb in
                body(LayerView(inCount: In, outCount: Out, activation: activation,
                               w: w, b: b, z: z, a: a, delta: d, gw: gw, gb: gb, leakySlope: leakySlope))
            } } }
        } } } }
    }
}

/// An inference-only dense layer whose parameters stay where they are (C
/// arrays in flash, say): only `z` and `a` take RAM, `2·Out` floats.
public struct FlashDense<let In: Int, let Out: Int>: DenseLayer {
    public typealias Input = InlineArray<In, Float>
    public typealias Output = InlineArray<Out, Float>

    /// `[Out][In]`, row-major.
    public let w: UnsafePointer<Float>
    /// `[Out]`.
    public let b: UnsafePointer<Float>
    public let activation: Activation
    /// Leaky ReLU's slope for z ≤ 0 (``LayerView/leakySlope``).
    public let leakySlope: Float
    public var z: InlineArray<Out, Float>
    public var a: InlineArray<Out, Float>

    public init(w: UnsafePointer<Float>, b: UnsafePointer<Float>, activation: Activation,
                leakySlope: Float = Activation.defaultLeakySlope) {
        self.w = w; self.b = b; self.activation = activation; self.leakySlope = leakySlope
        z = InlineArray(repeating: 0); a = z
    }

    public mutating func withView<R>(_ body: (LayerView) -> R) -> R {
        let (w, b, activation, leakySlope) = (w, b, activation, leakySlope)
        // The engine writes only z, a, δ and gradients; w and b are read.
        return withFloats(&z) { z in withFloats(&a) { a in
            body(LayerView(inCount: In, outCount: Out, activation: activation,
                           w: UnsafeMutablePointer(mutating: w), b: UnsafeMutablePointer(mutating: b),
                           z: z, a: a, leakySlope: leakySlope))
        } }
    }
}

/// The floats of an `InlineArray` (possibly nested) as one pointer.
@inlinable
func withFloats<T, R>(_ x: inout T, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    withUnsafeMutablePointer(to: &x) { p in
        body(UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self))
    }
}

// MARK: - Wiring layers into a network

/// Runs `body` on a one-layer network.
@inlinable
public func withNetwork<L1: DenseLayer, R>(
    _ l1: inout L1, loss: Loss, _ body: (NetworkView) -> R
) -> R {
    l1.withView { v1 in
        var net = NetworkView(loss: loss)
        net.append(v1)
        return body(net)
    }
}

/// Runs `body` on a two-layer network; the hidden widths must match.
@inlinable
public func withNetwork<L1: DenseLayer, L2: DenseLayer, R>(
    _ l1: inout L1, _ l2: inout L2, loss: Loss, _ body: (NetworkView) -> R
) -> R where L1.Output == L2.Input {
    l1.withView { v1 in l2.withView { v2 in
        var net = NetworkView(loss: loss)
        net.append(v1); net.append(v2)
        return body(net)
    } }
}

/// Runs `body` on a three-layer network; the hidden widths must match.
@inlinable
public func withNetwork<L1: DenseLayer, L2: DenseLayer, L3: DenseLayer, R>(
    _ l1: inout L1, _ l2: inout L2, _ l3: inout L3, loss: Loss, _ body: (NetworkView) -> R
) -> R where L1.Output == L2.Input, L2.Output == L3.Input {
    l1.withView { v1 in l2.withView { v2 in l3.withView { v3 in
        var net = NetworkView(loss: loss)
        net.append(v1); net.append(v2); net.append(v3)
        return body(net)
    } } }
}
