import TinyNN

/// The input scaling a model applies to raw features before its first
/// layer, `x′ = (x − offset)·scale` per feature (``InputScaling/apply``),
/// fitted on the training data and saved with the model.
public struct FeatureScaling: Sendable, Equatable {
    /// Raw values are stored in the model file and the C header.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// No scaling; offset and scale are empty.
        case none = 0
        /// To [0, 1] on the training data: `offset = min`, `scale = 1/(max − min)`.
        case minMax = 1
        /// To mean 0 and standard deviation 1: `offset = μ`, `scale = 1/σ`
        /// (σ of the population, divided by n).
        case standard = 2

        /// The command-line spelling.
        public var name: String {
            switch self { case .none: "none"; case .minMax: "minmax"; case .standard: "standard" }
        }
    }

    public var kind: Kind
    /// `[featureCount]`, empty for ``Kind/none``.
    public var offset: [Float]
    /// `[featureCount]`, empty for ``Kind/none``.
    public var scale: [Float]

    public static let none = FeatureScaling(kind: .none, offset: [], scale: [])

    public init(kind: Kind, offset: [Float], scale: [Float]) {
        self.kind = kind; self.offset = offset; self.scale = scale
    }

    /// Fits `kind` to `data`'s features, in `Double`, rounded once to `Float`.
    ///
    /// A constant feature (max = min, or σ = 0) gets scale 1, so it maps to 0
    /// rather than to infinity.
    public static func fit(_ kind: Kind, to data: Dataset) -> FeatureScaling {
        let n = data.featureCount
        switch kind {
        case .none:
            return .none
        case .minMax:
            var lo = [Float](repeating: .infinity, count: n), hi = [Float](repeating: -.infinity, count: n)
            for s in 0..<data.count {
                for (i, x) in zip(0..., data.sample(s)) { lo[i] = min(lo[i], x); hi[i] = max(hi[i], x) }
            }
            let scale = (0..<n).map { i in hi[i] > lo[i] ? Float(1 / (Double(hi[i]) - Double(lo[i]))) : 1 }
            return FeatureScaling(kind: .minMax, offset: lo, scale: scale)
        case .standard:
            var sum = [Double](repeating: 0, count: n), squares = sum
            for s in 0..<data.count {
                for (i, x) in zip(0..., data.sample(s)) { sum[i] += Double(x); squares[i] += Double(x) * Double(x) }
            }
            let count = Double(data.count)
            let mean = sum.map { $0 / count }
            let sigma = (0..<n).map { i in max(squares[i] / count - mean[i] * mean[i], 0).squareRoot() }
            return FeatureScaling(kind: .standard, offset: mean.map { Float($0) },
                                  scale: sigma.map { $0 > 0 ? Float(1 / $0) : 1 })
        }
    }

    /// One raw sample scaled with the core's kernel.  x: `[featureCount]`.
    public func apply(_ x: [Float]) -> [Float] {
        guard kind != .none else { return x }
        precondition(x.count == offset.count, "FeatureScaling: \(x.count) features, fitted on \(offset.count)")
        var out = x
        x.withUnsafeBufferPointer { xp in offset.withUnsafeBufferPointer { o in scale.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { y in
                InputScaling.apply(xp.baseAddress!, offset: o.baseAddress!, scale: c.baseAddress!,
                                   into: y.baseAddress!, count: x.count)
            }
        } } }
        return out
    }

    /// Every sample of `data` scaled with the core's kernel.
    public func apply(to data: Dataset) -> Dataset {
        guard kind != .none else { return data }
        precondition(data.featureCount == offset.count,
                     "FeatureScaling: \(data.featureCount) features, fitted on \(offset.count)")
        var d = data
        let n = data.featureCount
        d.features.withUnsafeMutableBufferPointer { f in offset.withUnsafeBufferPointer { o in
            scale.withUnsafeBufferPointer { c in
                for s in 0..<data.count {
                    let row = f.baseAddress! + s * n
                    InputScaling.apply(row, offset: o.baseAddress!, scale: c.baseAddress!, into: row, count: n)
                }
            }
        } }
        return d
    }
}
