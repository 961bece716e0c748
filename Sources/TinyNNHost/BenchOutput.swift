/// What the bench app prints (`Firmware/Apps/bench`), read back: lines
/// `NAME runs R ticks T tick_ps P` (a loop of R runs took T ticks of P
/// picoseconds) and `NAME ... KEY VALUE` figures such as `inference [64,32,10] macs 2368`.
public struct BenchOutput: Sendable {
    let lines: [[Substring]]

    public init(_ text: String) { lines = text.split(separator: "\n").map { $0.split(separator: " ") } }

    /// Instructions per run of `name` under QEMU `-icount shift=0`, where one
    /// nanosecond of virtual time is one instruction: T·P/1000/R.
    public func instructions(_ name: String) -> Double? {
        for w in lines where w.count >= 7 && w[0] == Substring(name) && w[1] == "runs" && w[3] == "ticks" && w[5] == "tick_ps" {
            guard let r = Double(w[2]), let t = Double(w[4]), let p = Double(w[6]), r > 0 else { return nil }
            return t * p / 1000 / r
        }
        return nil
    }

    /// The number after `key` on the first line that starts with `name` (and has it).
    public func value(_ name: String, _ key: String) -> Double? {
        for w in lines where w.first == Substring(name) {
            if let k = w.firstIndex(of: Substring(key)), k + 1 < w.count, let v = Double(w[k + 1]) { return v }
        }
        return nil
    }
}
