/// One epoch of mini-batch training, the same on the host and on the chip.
extension NetworkView {
    /// Writes the target for class `label`: the label itself for a single
    /// output (binary), else a one-hot vector.  y: `[outputCount]`.
    @inlinable
    public func writeTarget(label: Int32, into y: UnsafeMutablePointer<Float>) {
        NetworkView.writeTarget(label: label, into: y, outputCount: outputCount)
    }

    /// ``writeTarget(label:into:)`` for `outputCount` outputs (read once a
    /// batch: on Cortex-M each read of it copied the layer table).
    @inlinable @inline(__always)
    static func writeTarget(label: Int32, into y: UnsafeMutablePointer<Float>, outputCount: Int) {
        let label = Int(label)
        if outputCount == 1 { y[0] = Float(label); return }
        for k in 0..<outputCount { y[k] = 0 }
        y[label] = 1
    }

    /// Trains one epoch: shuffles `order` with `random` (Fisher–Yates), then
    /// walks it in consecutive mini-batches of `batchSize` (the last may be
    /// smaller), gathering each batch into `batchInputs`/`batchTargets` and
    /// calling ``trainBatch(inputs:targets:batchSize:optimizer:clock:)``, or,
    /// given `scratch`, the batched engine
    /// ``trainBatch(inputs:targets:batchSize:optimizer:clock:scratch:)``,
    /// which gives the same bits faster where memory allows.
    /// - Parameters:
    ///   - inputs: `[count][inputCount]`, the whole training set.
    ///   - labels: `[count]`, classes in `0..<outputCount` (or 0/1 for one output).
    ///   - order: `[count]` sample indices, a permutation; shuffled in place and
    ///     kept for the next epoch.
    ///   - batchInputs: `[batchSize][inputCount]` scratch.
    ///   - batchTargets: `[batchSize][outputCount]` scratch.
    ///   - scratch: nil, or ``batchScratchCount(batchSize:)`` floats for the batched engine.
    /// - Returns: the summed cost over the epoch.
    @inlinable @discardableResult
    public func trainEpoch(
        inputs: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int,
        order: UnsafeMutablePointer<Int32>, batchSize: Int,
        batchInputs: UnsafeMutablePointer<Float>, batchTargets: UnsafeMutablePointer<Float>,
        optimizer: Optimizer, clock: inout Optimizer.Clock, random: inout Random,
        scratch: UnsafeMutablePointer<Float>? = nil
    ) -> Float {
        precondition(count >= 1 && batchSize >= 1, "trainEpoch: empty data set or batch")
        random.shuffle(order, count: count)
        let n = inputCount, k = outputCount
        var total: Float = 0
        var first = 0
        while first < count {
            let m = min(batchSize, count - first)
            for s in 0..<m {
                let i = Int(order[first + s])
                // One memcpy: `update(from:count:)` became a call per float
                // on Cortex-M (600 instructions a sample on the M55).
                UnsafeMutableRawPointer(batchInputs + s * n).copyMemory(
                    from: inputs + i * n, byteCount: n * MemoryLayout<Float>.stride)
                NetworkView.writeTarget(label: labels[i], into: batchTargets + s * k, outputCount: k)
            }
            // The next batch's rows, asked for while this batch trains: they
            // are scattered over the data set, and the gather above would
            // otherwise wait on memory for each (a hint; no value changes).
            let next = first + m, nextEnd = min(next + batchSize, count)
            for s in next..<nextEnd { Kernels.prefetch(inputs + Int(order[s]) * n, count: n) }
            if let scratch {
                total += trainBatch(inputs: batchInputs, targets: batchTargets, batchSize: m,
                                    optimizer: optimizer, clock: &clock, scratch: scratch)
            } else {
                total += trainBatch(inputs: batchInputs, targets: batchTargets, batchSize: m,
                                    optimizer: optimizer, clock: &clock)
            }
            first += m
        }
        return total
    }
}
