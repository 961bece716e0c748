import TinyNN

extension Dataset {
    /// Samples `indices`, in that order, as a data set of their own.
    public func subset(_ indices: [Int]) -> Dataset {
        var d = self
        let n = featureCount
        d.features = [Float](unsafeUninitializedCapacity: indices.count * n) { out, filled in
            HugePages.advise(out)
            features.withUnsafeBufferPointer { f in
                for (row, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "subset: sample \(i) of \(count)")
                    (out.baseAddress! + row * n).initialize(from: f.baseAddress! + i * n, count: n)
                }
            }
            filled = indices.count * n
        }
        d.labels = indices.map { labels[$0] }
        return d
    }

    /// Holds out `fraction` of the samples for testing, chosen by a seeded
    /// shuffle (``Random/shuffle(_:count:)``); both parts keep file order.
    /// - Parameter fraction: in `[0, 1)`; the held-out count is
    ///   `⌊fraction·count⌋`, and at least one sample is kept for training.
    /// - Returns: the training part, and the held-out part (nil if empty).
    public func split(holdingOut fraction: Double, seed: UInt64) -> (train: Dataset, test: Dataset?) {
        let (train, test) = splitRows(holdingOut: fraction, seed: seed)
        guard !test.isEmpty else { return (self, nil) }
        return (subset(train), subset(test))
    }

    /// The rows ``split(holdingOut:seed:)`` puts in each part, in file order
    /// (`test` empty when nothing is held out), for a caller that trains on
    /// rows of this data set without copying them
    /// (``Trainer/run(_:on:rows:test:fromStart:report:)``).
    public func splitRows(holdingOut fraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        let held = min(Int(fraction * Double(count)), count - 1)
        guard held > 0 else { return (Array(0..<count), []) }
        var order = (0..<Int32(count)).map { $0 }
        var random = Random(seed: seed)
        order.withUnsafeMutableBufferPointer { random.shuffle($0.baseAddress!, count: $0.count) }
        var isTest = [Bool](repeating: false, count: count)
        for i in order.prefix(held) { isTest[Int(i)] = true }
        return ((0..<count).filter { !isTest[$0] }, (0..<count).filter { isTest[$0] })
    }
}
