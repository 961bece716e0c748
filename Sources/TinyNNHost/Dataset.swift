/// Labelled samples in memory: `count` rows of `featureCount` floats, each
/// with a class label in `0..<classCount`.
public struct Dataset: Sendable {
    /// `[count][featureCount]`, row-major.
    public internal(set) var features: [Float]
    public internal(set) var labels: [Int]
    public let featureCount: Int
    public let classCount: Int
    public var count: Int { labels.count }
    /// The columns the samples came from (set by ``CSVTable/dataset(labelColumn:classCount:)`` and ``IDX``).
    public var schema: DataSchema? = nil

    /// - Throws: if the data set is empty, the sizes disagree, a feature is
    ///   NaN or infinite, or a label is outside `0..<classCount`.
    public init(features: [Float], labels: [Int], featureCount: Int, classCount: Int,
                name: String = "data set") throws(NetworkError) {
        guard !labels.isEmpty else { throw .emptyDataSet("\(name): no samples") }
        guard featureCount >= 1, features.count == labels.count * featureCount else {
            throw .badShape("\(name): \(features.count) feature values for \(labels.count) samples"
                            + " of \(featureCount) features")
        }
        // One branch-free pass that vectorizes, then the search only if it found one: a value
        // is NaN or infinite when its exponent bits are all ones, i.e. ~bits & 0x7F80_0000 is
        // 0, and 0 &- 1 is the only case that sets the top bit.
        let allFinite = features.withUnsafeBufferPointer { f in
            var bad: UInt32 = 0
            for x in f { bad |= ((~x.bitPattern & 0x7F80_0000) &- 1) >> 31 }
            return bad == 0
        }
        if !allFinite, let k = features.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite("\(name): sample \(k / featureCount + 1), feature \(k % featureCount + 1)"
                             + " is \(features[k])")
        }
        if let k = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw .badShape("\(name): sample \(k + 1) has label \(labels[k]), outside 0..<\(classCount)")
        }
        self.features = features; self.labels = labels
        self.featureCount = featureCount; self.classCount = classCount
    }

    /// The same samples counted as `classCount` classes (the network's outputs,
    /// when it has more than the data shows); the features, already checked,
    /// are not read again.
    /// - Precondition: every label is below `classCount`.
    public func counting(classes classCount: Int) -> Dataset {
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classCount }, "Dataset: a label is outside 0..<\(classCount)")
        return Dataset(checked: features, labels: labels, featureCount: featureCount, classCount: classCount, schema: schema)
    }

    /// Values that the throwing initializer's checks already passed.
    private init(checked features: [Float], labels: [Int], featureCount: Int, classCount: Int, schema: DataSchema?) {
        self.features = features; self.labels = labels; self.featureCount = featureCount
        self.classCount = classCount; self.schema = schema
    }

    /// Samples `range` as a data set of their own.
    public func slice(_ range: Range<Int>) -> Dataset {
        var d = self
        d.features = Array(features[(range.lowerBound * featureCount)..<(range.upperBound * featureCount)])
        d.labels = Array(labels[range])
        return d
    }

    /// Sample `i`'s features.
    public func sample(_ i: Int) -> ArraySlice<Float> {
        features[(i * featureCount)..<((i + 1) * featureCount)]
    }

    /// Checks that a network with these widths can learn this data.
    public func check(against network: Network, name: String = "data set") throws(NetworkError) {
        guard network.inputCount == featureCount else {
            throw .badShape("\(name) has \(featureCount) features but the network's first layer takes"
                            + " \(network.inputCount)")
        }
        let fits = network.outputCount == 1 ? classCount <= 2 : classCount <= network.outputCount
        guard fits else {
            throw .badShape("\(name) has \(classCount) classes but the network has \(network.outputCount) outputs")
        }
    }
}
