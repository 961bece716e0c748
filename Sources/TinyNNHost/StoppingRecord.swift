/// How a training run ended: how many epochs ran out of the maximum, which
/// epoch's parameters the model keeps, and why it stopped. Saved as the model
/// file's `STOP` section and shown by `tinynn info`.
public struct StoppingRecord: Sendable, Equatable {
    public enum Reason: UInt8, Sendable {
        /// Ran every epoch up to `--epochs`.
        case maxEpochs = 0
        /// The held-out loss did not improve for `patience` evaluations.
        case patience = 1
    }

    public var rule: EarlyStopping
    /// `--epochs`.
    public var maxEpochs: Int
    public var epochsRun: Int
    /// The epoch whose parameters the model holds.
    public var keptEpoch: Int
    /// The held-out loss of the kept epoch (NaN if it was not evaluated).
    public var keptLoss: Float
    public var reason: Reason

    public init(rule: EarlyStopping, maxEpochs: Int, epochsRun: Int, keptEpoch: Int, keptLoss: Float, reason: Reason) {
        self.rule = rule; self.maxEpochs = maxEpochs; self.epochsRun = epochsRun
        self.keptEpoch = keptEpoch; self.keptLoss = keptLoss; self.reason = reason
    }

    /// `stopped after epoch 37 of 200: no better held-out loss in 10 evaluations; kept epoch 27 (loss 0.0812)`.
    public var summary: String {
        var s = reason == .patience
            ? "stopped after epoch \(epochsRun) of \(maxEpochs): no better held-out loss in \(rule.patience) evaluation\(rule.patience == 1 ? "" : "s")"
            : "ran all \(maxEpochs) epoch\(maxEpochs == 1 ? "" : "s")" + (rule.patience == 0 ? " (early stopping off)" : "")
        s += keptEpoch == 0 && epochsRun > 0 ? "; kept the starting parameters (epoch 0)" : "; kept epoch \(keptEpoch)"
        if keptLoss.isFinite { s += " (held-out loss \(formatFixed(Double(keptLoss), digits: 4)))" }
        if rule.evalEvery != 1 { s += "; evaluated every \(rule.evalEvery) epochs" }
        return s
    }
}

extension StoppingRecord {
    static let tag = "STOP"

    /// Payload: u32 patience, u32 eval-every, u32 max epochs, u32 epochs run,
    /// u32 kept epoch, f32 kept loss, u8 reason.
    var section: ModelFileSection {
        var w = SectionWriter()
        for n in [rule.patience, rule.evalEvery, maxEpochs, epochsRun, keptEpoch] { w.u32(UInt32(n)) }
        w.f32(keptLoss); w.u8(reason.rawValue)
        return ModelFileSection(tag: Self.tag, payload: w.bytes)
    }

    init(section payload: [UInt8]) throws(SectionProblem) {
        var r = SectionReader(payload)
        let patience = Int(try r.u32("the patience")), every = Int(try r.u32("the evaluation interval"))
        maxEpochs = Int(try r.u32("the maximum epochs")); epochsRun = Int(try r.u32("the epochs run"))
        keptEpoch = Int(try r.u32("the kept epoch")); keptLoss = try r.f32("the kept loss")
        let code = try r.u8("the reason")
        try r.finish()
        guard let reason = Reason(rawValue: code) else { throw SectionProblem("unknown reason \(code)") }
        guard every >= 1 else { throw SectionProblem("evaluation interval 0") }
        guard epochsRun <= maxEpochs, keptEpoch <= epochsRun else {
            throw SectionProblem("kept epoch \(keptEpoch) of \(epochsRun) run of at most \(maxEpochs)")
        }
        self.reason = reason; rule = EarlyStopping(patience: patience, evalEvery: every)
    }
}
