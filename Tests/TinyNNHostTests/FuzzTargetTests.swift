import Foundation
import Testing
import TinyNNHost

/// The fuzz target (Scripts/fuzz runs it under libFuzzer): its seeds are
/// accepted, every past crash in Fuzz/crashes/ now runs without a trap, and a
/// short seeded smoke run of byte mutations over each format traps nowhere.
@Suite struct FuzzTargetTests {
    func files(_ dir: String) -> [[UInt8]] {
        let path = "\(packageRoot)/Fuzz/\(dir)"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.compactMap { FileManager.default.contents(atPath: "\(path)/\($0)").map { Array($0) } }
    }

    @Test(arguments: FuzzTarget.Format.allCases) func seedsAreAcceptedAndCrashesReplay(_ format: FuzzTarget.Format) {
        let seeds = files("seeds/\(format.rawValue)")
        #expect(!seeds.isEmpty)
        for s in seeds { #expect(FuzzTarget.run(format, s), "a seed of \(format) is refused") }
        for c in files("crashes/\(format.rawValue)") { FuzzTarget.run(format, c) }
    }

    /// 400 mutants per seed: flips, truncations, insertions (SplitMix64, seed 1). Finding a trap aborts the test run.
    @Test(arguments: FuzzTarget.Format.allCases) func smokeRun(_ format: FuzzTarget.Format) {
        var state: UInt64 = 1
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var accepted = 0, runs = 0
        for seed in files("seeds/\(format.rawValue)") {
            for _ in 0..<400 {
                var b = seed
                for _ in 0..<(1 + Int(next() % 4)) where !b.isEmpty {
                    let k = Int(next() % UInt64(b.count))
                    switch next() % 4 {
                    case 0: b[k] ^= UInt8(1 << (next() % 8))
                    case 1: b[k] = UInt8(truncatingIfNeeded: next())
                    case 2: b.removeSubrange(k...)
                    default: b.insert(UInt8(truncatingIfNeeded: next()), at: k)
                    }
                }
                if FuzzTarget.run(format, b) { accepted += 1 }
                runs += 1
            }
        }
        #expect(runs >= 400)
        // Some mutants are still valid input (the run exercised more than the first check).
        #expect(accepted > 0 || format == .tnn, "\(format): no mutant accepted")
    }
}
