extension TrainingRecord {
    /// What is out of range in a record read from a model file, or nil: η in
    /// (0, 10⁶], β₁ and β₂ in [0, 1), ε in [0, 1], λ in [0, 10⁶], a gaussian
    /// σ finite and > 0, batch ≥ 1, at most 2¹⁶ classes and at least 2 once
    /// anything was trained, accuracy NaN or in [0, 1], losses NaN or ≥ 0.
    /// Spelled like the command-line flags.
    var problem: String? {
        let o = optimizer
        func inRange(_ x: Float, _ r: ClosedRange<Float>) -> Bool { x.isFinite && r.contains(x) }
        if !inRange(o.learningRate, 0...1e6) || o.learningRate == 0 { return "eta \(o.learningRate) is not in (0, 1e6]" }
        if !inRange(o.beta1, 0...1) || o.beta1 == 1 { return "beta1/momentum \(o.beta1) is not in [0, 1)" }
        if !inRange(o.beta2, 0...1) || o.beta2 == 1 { return "beta2 \(o.beta2) is not in [0, 1)" }
        if !inRange(o.epsilon, 0...1) { return "epsilon \(o.epsilon) is not in [0, 1]" }
        if !inRange(o.weightDecay, 0...1e6) { return "weight-decay \(o.weightDecay) is not in [0, 1e6]" }
        if case .gaussian(let s)? = initializer, !(s.isFinite && s > 0) { return "gaussian sd \(s) is not > 0" }
        if batchSize < 1 { return "batch \(batchSize) (at least 1)" }
        if classCount > 65_536 { return "\(classCount) classes (at most 65536)" }
        if trainingSamples > 0 && classCount < 2 { return "\(classCount) classes for \(trainingSamples) training samples" }
        if !accuracy.isNaN && !(0...1).contains(accuracy) { return "accuracy \(accuracy) is not in [0, 1]" }
        for (name, loss) in [("training loss", trainingLoss), ("test loss", testLoss)] where !loss.isNaN && !(loss >= 0 && loss.isFinite) {
            return "\(name) \(loss) is not ≥ 0"
        }
        return nil
    }
}
