/// The random streams that one training seed `s` drives, so that the CLI
/// (`tinynn train`), the train firmware and `tinynn vectors` draw the same
/// numbers: the initial weights from `Random(s)`, the epoch shuffles from
/// `Random(s + 1)`, the validation split from `Random(s + 2)`.
public struct TrainingSeeds: Sendable {
    public let seed: UInt64

    @inlinable public init(_ seed: UInt64) { self.seed = seed }

    /// The initial weights and biases (``Initializer``), layer by layer.
    @inlinable public var initialization: UInt64 { seed }
    /// The sample order of every epoch.
    @inlinable public var shuffle: UInt64 { seed &+ 1 }
    /// Which samples `--validation-split` holds out.
    @inlinable public var split: UInt64 { seed &+ 2 }
}
