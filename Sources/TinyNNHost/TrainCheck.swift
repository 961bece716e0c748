/// The train firmware's output compared with the model files `tinynn train`
/// wrote for the same runs (``BitDump/modelValues(_:name:)``): per run, the
/// training loss, the learning rate and every parameter in model-file order,
/// bit for bit. The firmware prints `NAME eta BITS`, `NAME loss BITS` and
/// `NAME wL|bL BITS...` lines (up to eight values each). It proves what it
/// compared: every run is there with exactly the model's parameter count.
public struct TrainCheck: Sendable {
    /// Runs compared, and the values compared (loss, learning rate, parameters).
    public var runs = 0, values = 0
    /// The first difference, or a missing run or value: one line, or nil.
    public var firstDifference: String?
    public var isEqual: Bool { firstDifference == nil && runs > 0 }

    /// - Parameter expected: each run's name and its `modelValues` lines.
    public init(expected: [(name: String, lines: [String])], output: String) {
        let lines = output.split(separator: "\n").map { $0.split(separator: " ") }
        for (name, want) in expected {
            var got: [(label: String, bits: Substring)] = []
            for w in lines where w.count >= 3 && w[0] == Substring(name) {
                if w[1] == "loss" || w[1] == "eta" { got.append((String(w[1]), w[2])) }
                else if let kind = w[1].first, kind == "w" || kind == "b", Int(w[1].dropFirst()) != nil {
                    got += w[2...].map { (String(w[1]), $0) }
                }
            }
            // The host's lines are `NAME LABEL BITS`: loss and eta first, then the parameters.
            let host = want.map { $0.split(separator: " ") }.filter { $0.count == 3 }
            let hostScalars = host.filter { $0[1] == "loss" || $0[1] == "eta" }, hostParameters = host.filter { $0[1] != "loss" && $0[1] != "eta" }
            let targetScalars = got.filter { $0.label == "loss" || $0.label == "eta" }, targetParameters = got.filter { $0.label != "loss" && $0.label != "eta" }
            guard !got.isEmpty else { firstDifference = firstDifference ?? "\(name): the firmware printed no values for this run"; continue }
            guard targetParameters.count == hostParameters.count, targetScalars.count == hostScalars.count else {
                firstDifference = firstDifference ?? "\(name): host has \(hostParameters.count) parameters, target printed \(targetParameters.count)"
                continue
            }
            runs += 1
            values += host.count
            guard firstDifference == nil else { continue }
            for h in hostScalars {
                if let t = targetScalars.first(where: { $0.label == h[1] }), t.bits != h[2] {
                    firstDifference = "\(name) \(h[1]): host \(h[2]), target \(t.bits)"
                    break
                }
            }
            if firstDifference == nil, let k = hostParameters.indices.first(where: { hostParameters[$0][2] != targetParameters[$0].bits }) {
                firstDifference = "\(name) \(hostParameters[k][1]): host \(hostParameters[k][2]), target \(targetParameters[k].bits)"
            }
        }
    }
}
