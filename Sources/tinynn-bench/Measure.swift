import Foundation

/// A throughput measured over many short chunks of work.
struct Rate: Codable {
    /// Items per second: the fastest chunk (the headline figure), the
    /// upper quartile, the median and the slowest.
    var best: Double
    var upperQuartile: Double
    var median: Double
    var min: Double
    var chunks: Int
    var seconds: Double
}

/// How long to measure.
struct Budget {
    /// Total time per measurement.
    var seconds: Double
    static let full = Budget(seconds: 1.5)
    static let quick = Budget(seconds: 0.3)
}

/// Runs `chunk` (which returns the number of items it processed, and should
/// take about a millisecond) once to warm up, then repeatedly for
/// `budget.seconds`, timing each call.
///
/// The machine is shared (other processes preempt this one for whole
/// scheduler slices), so the headline is the fastest chunk: the speed of
/// the code when it has the core to itself. The median shows how much the
/// run was disturbed.
func measure(_ budget: Budget, _ chunk: () -> Int) -> Rate {
    _ = chunk()
    var rates: [Double] = []
    let start = ContinuousClock.now
    var last = start
    repeat {
        let items = chunk()
        let now = ContinuousClock.now
        rates.append(Double(items) / (now - last).seconds)
        last = now
    } while (last - start).seconds < budget.seconds
    rates.sort()
    return Rate(best: rates.last!, upperQuartile: rates[rates.count * 3 / 4], median: rates[rates.count / 2],
                min: rates.first!, chunks: rates.count, seconds: (last - start).seconds)
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}

// MARK: - Peak FLOP/s of one core

/// The processor and its single-core peak single-precision FLOP/s.
struct Machine: Codable {
    var cpuModel: String
    /// Clock in MHz as the kernel reports it, and where that came from.
    var clockMHz: Double
    var clockSource: String
    /// `GHz × 8 lanes (AVX2 SIMD8<Float>) × 2 FMA units × 2 flops`.
    var nominalPeakGFLOPS: Double
    /// What a loop of independent `SIMD8<Float>` FMAs achieves on one core.
    var measuredFMAGFLOPS: Double
    /// The clock that loop implies: measured FLOP/s / 32 flops per cycle.
    var impliedClockGHz: Double
    var peakDerivation: String
}

/// Reads the clock from `/proc/cpuinfo` (`cpu MHz` of the first processor),
/// and the model name.
func readCPUInfo() -> (model: String, mhz: Double?, source: String) {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
        return ("unknown", nil, "no /proc/cpuinfo")
    }
    var model = "unknown", mhz: Double?
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { continue }
        if parts[0] == "model name", model == "unknown" { model = parts[1] }
        if parts[0] == "cpu MHz", mhz == nil { mhz = Double(parts[1]) }
    }
    return (model, mhz, "/proc/cpuinfo 'cpu MHz' (first processor)")
}

/// Twelve independent chains of `SIMD8<Float>` fused multiply-adds: enough
/// to fill two FMA pipes of latency 4 (needs ≥ 8 chains).
@inline(never)
func fmaLoop(_ iterations: Int, _ seed: Float) -> Float {
    let m = SIMD8<Float>(repeating: 0.999_9), c = SIMD8<Float>(repeating: seed)
    var a0 = c, a1 = c + 1, a2 = c + 2, a3 = c + 3, a4 = c + 4, a5 = c + 5
    var a6 = c + 6, a7 = c + 7, a8 = c + 8, a9 = c + 9, a10 = c + 10, a11 = c + 11
    for _ in 0..<iterations {
        a0 = c.addingProduct(a0, m); a1 = c.addingProduct(a1, m); a2 = c.addingProduct(a2, m)
        a3 = c.addingProduct(a3, m); a4 = c.addingProduct(a4, m); a5 = c.addingProduct(a5, m)
        a6 = c.addingProduct(a6, m); a7 = c.addingProduct(a7, m); a8 = c.addingProduct(a8, m)
        a9 = c.addingProduct(a9, m); a10 = c.addingProduct(a10, m); a11 = c.addingProduct(a11, m)
    }
    let s = (a0 + a1 + a2 + a3) + (a4 + a5 + a6 + a7) + (a8 + a9 + a10 + a11)
    return s.sum()
}

func measureMachine(_ budget: Budget) -> Machine {
    let info = readCPUInfo()
    let mhz = info.mhz ?? 0
    let iterations = 20_000
    var sink: Float = 0
    // 12 FMAs of 8 lanes × 2 flops per iteration.
    let rate = measure(budget) {
        sink += fmaLoop(iterations, sink == 1 ? 2 : 0.5)
        return iterations * 12 * 8 * 2
    }
    if sink == 42 { print("") }
    let measured = rate.best / 1e9
    return Machine(
        cpuModel: info.model, clockMHz: mhz, clockSource: info.source,
        nominalPeakGFLOPS: mhz / 1000 * 8 * 2 * 2, measuredFMAGFLOPS: measured,
        impliedClockGHz: measured / 32,
        peakDerivation: "peak = \(String(format: "%.3f", mhz / 1000)) GHz (\(info.source)) × 8 lanes (AVX2 SIMD8<Float>) × 2 FMA units × 2 flops = \(String(format: "%.1f", mhz / 1000 * 32)) GFLOP/s; the host is a VM, so this is the nominal clock: boost may run higher (the FMA loop implies \(String(format: "%.2f", measured / 32)) GHz)")
}
