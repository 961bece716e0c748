/// What can be wrong with a network or data handed to the host API.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    case badShape(String)
    case incompatibleLoss(loss: String, activation: String)
    case nonFinite(String)
    case emptyDataSet(String)

    public var description: String {
        switch self {
        case .badShape(let s): return s
        case .incompatibleLoss(let loss, let act):
            return "loss \(loss) needs a different output activation than \(act)"
                + " (cross-entropy: softmax; binary cross-entropy: sigmoid)"
        case .nonFinite(let s): return s
        case .emptyDataSet(let s): return s
        }
    }
}
