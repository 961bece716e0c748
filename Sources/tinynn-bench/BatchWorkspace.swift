import TinyNN
import TinyNNHost

/// The scratch the batched engine needs for one network and batch size.
final class BatchWorkspace {
    let scratch: UnsafeMutableBufferPointer<Float>

    init(_ network: Network, batchSize: Int) {
        let count = network.withView { $0.batchScratchCount(batchSize: batchSize) }
        scratch = .allocate(capacity: count)
        scratch.initialize(repeating: 0)
    }

    deinit { scratch.deallocate() }

    @discardableResult
    func trainBatch(_ net: NetworkView, inputs: UnsafePointer<Float>, targets: UnsafePointer<Float>,
                    batchSize: Int, optimizer: Optimizer, clock: inout Optimizer.Clock,
                    nextInputs: UnsafePointer<Float>? = nil) -> Float {
        net.trainBatch(inputs: inputs, targets: targets, batchSize: batchSize, optimizer: optimizer,
                       clock: &clock, scratch: scratch.baseAddress!,
                       nextInputs: nextInputs, nextBatchSize: nextInputs == nil ? 0 : batchSize)
    }
}
