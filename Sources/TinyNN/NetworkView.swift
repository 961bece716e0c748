/// A fully connected network as a table of ``LayerView``s: the one engine
/// that runs forward passes and backpropagation for every face of TinyNN
/// (compile-time networks on the chip, run-time networks on the host, the C
/// API). At most ``maxLayers`` layers; it owns no memory.
public struct NetworkView {
    @inlinable public static var maxLayers: Int { 8 }

    public var layers: InlineArray<8, LayerView?>
    @usableFromInline var _layerCount: Int
    public var layerCount: Int { _layerCount }
    public var loss: Loss

    /// An empty network; add layers from the input side with ``append(_:)``.
    @inlinable
    public init(loss: Loss) {
        layers = InlineArray(repeating: nil)
        _layerCount = 0
        self.loss = loss
    }

    /// Adds the next layer. Its input width must equal the last layer's output width.
    @inlinable
    public mutating func append(_ layer: LayerView) {
        precondition(layerCount < NetworkView.maxLayers, "NetworkView: more than 8 layers")
        if layerCount > 0 {
            precondition(self[layerCount - 1].outCount == layer.inCount,
                         "NetworkView: layer input width differs from the previous layer's output width")
        }
        layers[layerCount] = layer
        _layerCount += 1
    }

    @inlinable
    public subscript(l: Int) -> LayerView { layers[l]! }

    @inlinable public var inputCount: Int { self[0].inCount }
    @inlinable public var outputCount: Int { self[layerCount - 1].outCount }
    /// The output activations `aᴸ` of the last forward pass.
    @inlinable public var output: UnsafeMutablePointer<Float> { self[layerCount - 1].a }

    /// Forward pass: `aˡ = σ(Wˡaˡ⁻¹ + bˡ)` for `l = 1…L`, `a⁰ = x`.
    /// - Parameter x: `[inputCount]`.
    /// - Returns: `aᴸ`, `[outputCount]`.
    @inlinable @discardableResult
    public func forward(_ x: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        forward(x, layers: layers)
    }

    /// ``forward(_:)`` on a copy of the layer table: each `self[l]` copied
    /// all of it (416 bytes, a memcpy) on Cortex-M, so a pass copies it once
    /// (``trainBatch(inputs:targets:batchSize:optimizer:clock:)``: once a batch).
    @inlinable @inline(__always)
    func forward(_ x: UnsafePointer<Float>, layers table: InlineArray<8, LayerView?>) -> UnsafeMutablePointer<Float> {
        var input = x
        var last = table[0]!.a
        for l in 0..<layerCount {
            let layer = table[l]!
            layer.forward(input)
            last = layer.a
            input = UnsafePointer(last)
        }
        return last
    }

    /// Backward pass after ``forward(_:)`` on the same `x`: BP1 for the output
    /// error, BP2 down the layers, and BP3/BP4 added into the gradient sums.
    /// - Parameters:
    ///   - x: `[inputCount]`, the sample just passed forward.
    ///   - y: `[outputCount]`, its target.
    @inlinable
    public func backward(_ x: UnsafePointer<Float>, target y: UnsafePointer<Float>) {
        backward(x, target: y, layers: layers)
    }

    /// ``backward(_:target:)`` on a copy of the layer table, each layer read
    /// once (see ``forward(_:layers:)``).
    @inlinable @inline(__always)
    func backward(_ x: UnsafePointer<Float>, target y: UnsafePointer<Float>, layers table: InlineArray<8, LayerView?>) {
        var layer = table[layerCount - 1]!
        loss.outputError(z: layer.z, a: layer.a, y: y, delta: layer.delta!,
                         count: layer.outCount, activation: layer.activation, leakySlope: layer.leakySlope)
        var l = layerCount - 1
        while l > 0 {
            let below = table[l - 1]!
            layer.accumulateGradients(input: UnsafePointer(below.a))
            layer.backpropagate(into: below)
            layer = below
            l -= 1
        }
        layer.accumulateGradients(input: x)
    }

    /// The cost of the last forward pass against `y`.
    @inlinable
    public func cost(target y: UnsafePointer<Float>) -> Float {
        let top = self[layerCount - 1]
        return loss.cost(a: top.a, y: y, count: top.outCount)
    }

    /// One optimizer step for every layer from the gradient sums of a
    /// mini-batch of `batchSize` samples; clears the sums. Ticks `clock`.
    @inlinable
    public func update(_ optimizer: Optimizer, batchSize: Int, clock: inout Optimizer.Clock) {
        clock.tick(optimizer)
        for l in 0..<layerCount { self[l].update(optimizer, batchSize: batchSize, clock: clock) }
    }

    /// Trains on one mini-batch: forward and backward for each sample in
    /// order, then one update.
    /// - Parameters:
    ///   - inputs: `[batchSize][inputCount]`.
    ///   - targets: `[batchSize][outputCount]`.
    /// - Returns: the summed cost of the batch (before the update).
    @inlinable @discardableResult
    public func trainBatch(
        inputs: UnsafePointer<Float>, targets: UnsafePointer<Float>, batchSize: Int,
        optimizer: Optimizer, clock: inout Optimizer.Clock
    ) -> Float {
        precondition(batchSize >= 1, "trainBatch: empty batch")
        let table = layers, n = inputCount, k = outputCount
        var total: Float = 0
        for s in 0..<batchSize {
            let x = inputs + s * n, y = targets + s * k
            let output = forward(x, layers: table)
            total += loss.cost(a: output, y: y, count: k)
            backward(x, target: y, layers: table)
        }
        update(optimizer, batchSize: batchSize, clock: &clock)
        return total
    }
}
