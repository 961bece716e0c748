import TinyNN

// How the host tools spell things: the names the command line, `tinynn info`
// and exported headers use, and numbers with a fixed number of decimals.

extension Optimizer.Kind {
    /// The command-line spelling.
    public var name: String {
        switch self { case .sgd: "sgd"; case .momentum: "momentum"; case .adam: "adam" }
    }
}

extension Initializer {
    /// The command-line spelling.
    public var name: String {
        switch self {
        case .gaussian(let s): s == 1 ? "gaussian" : "gaussian sd=\(s)"
        case .xavier: "xavier"
        case .he: "he"
        }
    }
}

extension Activation {
    /// The command-line spelling.
    public var name: String {
        switch self {
        case .identity: "identity"; case .sigmoid: "sigmoid"; case .tanh: "tanh"
        case .relu: "relu"; case .leakyReLU: "leaky-relu"; case .softmax: "softmax"
        }
    }
}

extension Network {
    /// Layer `l`'s activation as `info` and `train` show it: its name, and
    /// for leaky ReLU with another slope than the default, the slope
    /// (`leaky-relu(0.2)`).
    public func activationLabel(_ l: Int) -> String {
        let a = activations[l]
        guard a == .leakyReLU, leakySlopes[l] != Activation.defaultLeakySlope else { return a.name }
        return "\(a.name)(\(leakySlopes[l]))"
    }
}

extension Loss {
    /// The command-line spelling.
    public var name: String {
        switch self {
        case .quadratic: "quadratic"; case .crossEntropy: "cross-entropy"
        case .binaryCrossEntropy: "binary-cross-entropy"
        }
    }
}

/// `x` with exactly `digits` digits after the point (no Foundation needed).
///
/// Total for every `Double`: NaN and infinities print as `nan`, `inf`,
/// `-inf`; a magnitude whose scaled value reaches 2⁵³ (where the digits
/// after the point are no longer exact) prints as Swift's shortest
/// round-trip form (`1e+20`) instead of trapping in an integer conversion.
/// - Parameter digits: 0…15 (clamped).
public func formatFixed(_ x: Double, digits: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    let digits = min(max(digits, 0), 15)
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let scaled = (abs(x) * p).rounded()
    guard scaled < 0x1p53 else { return "\(x)" }
    let whole = Int(scaled / p), fraction = Int(scaled.truncatingRemainder(dividingBy: p))
    var f = String(fraction)
    while f.count < digits { f = "0" + f }
    return (x < 0 && scaled != 0 ? "-" : "") + "\(whole)" + (digits > 0 ? ".\(f)" : "")
}
