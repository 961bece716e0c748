#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TinyNNHost

/// Training progress on standard error, one line per epoch: rewritten in
/// place with `\r` when standard error is a terminal, plain lines otherwise
/// (logs, pipes, tests).
final class Progress {
    let epochs: Int
    let accuracyLabel: String
    let interactive = isatty(STDERR_FILENO) != 0
    let start = ContinuousClock.now
    /// Whether a line is open on the terminal (no newline after it yet).
    private(set) var lineOpen = false

    init(epochs: Int, accuracyLabel: String) {
        self.epochs = epochs; self.accuracyLabel = accuracyLabel
    }

    /// Prints the line for epoch `r.epoch` of ``epochs``.
    func report(_ r: Trainer.EpochReport) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let left = seconds / Double(r.epoch) * Double(epochs - r.epoch)
        let width = String(epochs).count
        var line = "epoch \(pad(String(r.epoch), width))/\(epochs)  \(pad(formatFixed(r.samplesPerSecond, digits: 0), 7)) samples/s"
        line += "  loss \(formatFixed(Double(r.trainCost), digits: 4))"
        if let a = r.testAccuracy { line += "  \(accuracyLabel) \(formatFixed(a * 100, digits: 2))%" }
        line += "  \(clock(left)) left"
        if interactive {
            standardError("\r\(line)\u{1B}[K")
            lineOpen = true
            if r.epoch == epochs { finish() }
        } else {
            standardError(line + "\n")
        }
    }

    /// Ends the epoch lines with how the run ended: `stopped after epoch 37
    /// of 200: …; kept epoch 27 (held-out loss 0.0812)`.
    func stopped(_ record: StoppingRecord) {
        finish()
        if record.epochsRun > 0 { standardError(record.summary + "\n") }
    }

    /// Ends an open terminal line, so that what follows starts on its own.
    func finish() {
        if lineOpen { standardError("\n"); lineOpen = false }
    }

    func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

    /// `m:ss`, or `h:mm:ss` from an hour.
    func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "?" }
        let t = Int(max(0, seconds).rounded())
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return t >= 3600 ? "\(t / 3600):\(two(t / 60 % 60)):\(two(t % 60))" : "\(t / 60):\(two(t % 60))"
    }
}
