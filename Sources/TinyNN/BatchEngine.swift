/// Training a whole mini-batch at once: the same arithmetic as
/// ``NetworkView/trainBatch(inputs:targets:batchSize:optimizer:clock:)``,
/// bit for bit, scheduled layer by layer over all samples instead of sample
/// by sample, so that each weight fetched from memory serves every sample.
///
/// Why it is the same: within a mini-batch the parameters do not change, so
/// the samples' forward and backward passes are independent; the only
/// values they share are the gradient sums, and the batched kernels add the
/// samples into each sum in their order. Each layer's update can follow its
/// own gradient sums at once (fused into BP4) because BP2 through that
/// layer's weights is done, for every sample, before they change.
extension NetworkView {
    /// Floats of scratch ``trainBatch(inputs:targets:batchSize:optimizer:clock:scratch:nextInputs:nextBatchSize:)``
    /// needs for up to `batchSize` samples: `z`, `a` and `δ` of every layer
    /// for every sample (`3·batchSize·Σ Out`), an aligned copy of the
    /// inputs (`batchSize·In`), and 32 floats to align both to 64 bytes.
    @inlinable
    public func batchScratchCount(batchSize: Int) -> Int {
        3 &* batchSize &* batchOutputs &+ batchSize &* self[0].inCount &+ 32
    }

    /// `Σ Out` over the layers.
    @inlinable
    var batchOutputs: Int {
        var outputs = 0
        for l in 0..<layerCount { outputs &+= self[l].outCount }
        return outputs
    }

    /// `p` rounded up to a multiple of 64 bytes (`p` is `Float`-aligned).
    @inlinable
    static func aligned64(_ p: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        p + ((16 &- (Int(bitPattern: p) >> 2) & 15) & 15)
    }

    /// Where layer `l`'s batched `z`, `a` and `δ` (each `[batchSize][Out]`)
    /// live in the (aligned) scratch.
    @inlinable @inline(__always)
    func batchBuffers(_ l: Int, scratch: UnsafeMutablePointer<Float>, batchSize: Int)
        -> (z: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>, delta: UnsafeMutablePointer<Float>)
    {
        var offset = 0
        for k in 0..<l { offset &+= 3 &* batchSize &* self[k].outCount }
        let n = batchSize &* self[l].outCount
        return (scratch + offset, scratch + (offset &+ n), scratch + (offset &+ 2 &* n))
    }

    /// Trains on one mini-batch, every kernel running over the whole batch:
    /// bit for bit the parameters, optimizer state, cost and per-layer
    /// `z`, `a`, `δ` (those of the last sample) that
    /// ``trainBatch(inputs:targets:batchSize:optimizer:clock:)`` gives.
    ///
    /// The gradient sums `gw`, `gb` are not used: they must be clear on entry,
    /// as every update leaves them, and stay clear.
    ///
    /// Inputs that are not 32-byte aligned are copied to aligned scratch by
    /// the first forward pass, and read from there: half of the eight-float
    /// loads from them would straddle two cache lines, which costs the
    /// forward pass and the first layer's gradient step more than the copy
    /// (784→30, batch 10: 8% and 6–30%).
    /// - Parameters:
    ///   - inputs: `[batchSize][inputCount]`.
    ///   - targets: `[batchSize][outputCount]`.
    ///   - scratch: ``batchScratchCount(batchSize:)`` floats, not aliasing anything else.
    ///   - nextInputs: the next call's inputs, `[nextBatchSize][inputCount]`,
    ///     if the caller knows them: they are prefetched into the cache while
    ///     the first layer's gradient step computes (a hint; no value changes).
    /// - Returns: the summed cost of the batch (before the update).
    @inlinable @discardableResult
    public func trainBatch(
        inputs: UnsafePointer<Float>, targets: UnsafePointer<Float>, batchSize: Int,
        optimizer: Optimizer, clock: inout Optimizer.Clock, scratch: UnsafeMutablePointer<Float>,
        nextInputs: UnsafePointer<Float>? = nil, nextBatchSize: Int = 0
    ) -> Float {
        precondition(batchSize >= 1, "trainBatch: empty batch")
        let m = batchSize
        let scratch = Self.aligned64(scratch)
        // Inputs that are not 32-byte aligned are copied by the first forward pass.
        let copy: UnsafeMutablePointer<Float>? = Int(bitPattern: inputs) & 31 != 0
            ? Self.aligned64(scratch + 3 &* m &* batchOutputs) : nil
        // Forward, layer by layer over the batch.
        var input = inputs
        for l in 0..<layerCount {
            let layer = self[l]
            let (z, a, _) = batchBuffers(l, scratch: scratch, batchSize: m)
            Kernels.denseForwardBatch(w: layer.w, b: layer.b, a: input, z: z,
                                      inCount: layer.inCount, outCount: layer.outCount, batchCount: m,
                                      copy: l == 0 ? copy : nil)
            Kernels.activateBatch(layer.activation, z: z, a: a, width: layer.outCount, batchCount: m,
                                  leakySlope: layer.leakySlope)
            input = UnsafePointer(a)
        }
        // Cost sample by sample; BP1 over the whole batch unless softmax couples the outputs.
        let top = self[layerCount - 1], k = top.outCount
        let (zTop, aTop, deltaTop) = batchBuffers(layerCount - 1, scratch: scratch, batchSize: m)
        var total: Float = 0
        for s in 0..<m { total += loss.cost(a: aTop + s &* k, y: targets + s &* k, count: k) }
        if top.activation == .softmax {
            for s in 0..<m {
                loss.outputError(z: zTop + s &* k, a: aTop + s &* k, y: targets + s &* k,
                                 delta: deltaTop + s &* k, count: k, activation: top.activation, leakySlope: top.leakySlope)
            }
        } else {
            // Elementwise: the whole batch as one vector.
            loss.outputError(z: zTop, a: aTop, y: targets, delta: deltaTop, count: m &* k, activation: top.activation,
                             leakySlope: top.leakySlope)
        }
        // Backward: BP2 through each layer's weights for every sample, then
        // that layer's BP3/BP4 and update.
        clock.tick(optimizer)
        let weightStep = Optimizer.Step(optimizer, batchSize: m, decays: true, clock: clock)
        let biasStep = Optimizer.Step(optimizer, batchSize: m, decays: false, clock: clock)
        var l = layerCount - 1
        while l >= 0 {
            let layer = self[l]
            let delta = batchBuffers(l, scratch: scratch, batchSize: m).delta
            let layerInput = l == 0 ? UnsafePointer(copy) ?? inputs
                : UnsafePointer(batchBuffers(l - 1, scratch: scratch, batchSize: m).a)
            if l > 0 {
                let below = self[l - 1]
                let (zb, ab, db) = batchBuffers(l - 1, scratch: scratch, batchSize: m)
                Kernels.transposedProductBatch(w: layer.w, delta: delta, e: db,
                                               inCount: layer.inCount, outCount: layer.outCount, batchCount: m)
                Kernels.backpropagateBatch(below.activation, db, z: zb, a: ab, width: below.outCount, batchCount: m,
                                           leakySlope: below.leakySlope)
            }
            Kernels.denseGradientStep(
                delta: delta, a: layerInput, w: layer.w, b: layer.b, stateW: layer.stateW, stateB: layer.stateB,
                inCount: layer.inCount, outCount: layer.outCount, batchCount: m,
                weightStep: weightStep, biasStep: biasStep,
                prefetching: l == 0 ? nextInputs : nil, aheadCount: nextBatchSize &* layer.inCount)
            l -= 1
        }
        // Leave the last sample's z, a, δ where the per-sample engine leaves them.
        for l in 0..<layerCount {
            let layer = self[l], n = layer.outCount
            let (z, a, delta) = batchBuffers(l, scratch: scratch, batchSize: m)
            let last = (m &- 1) &* n
            layer.z.update(from: z + last, count: n)
            layer.a.update(from: a + last, count: n)
            if let d = layer.delta { d.update(from: delta + last, count: n) }
        }
        return total
    }
}
