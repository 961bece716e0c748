import Foundation
import TinyNNHost

/// CPU milliseconds of one call, from the process's CPU clock (a loaded
/// machine slows wall time, much less CPU time).
func cpuMilliseconds(_ body: () throws -> Void) rethrows -> Double {
    var t0 = timespec(), t1 = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0)
    try body()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1)
    return Double(t1.tv_sec - t0.tv_sec) * 1e3 + Double(t1.tv_nsec - t0.tv_nsec) / 1e6
}

/// Inflates `raw` `passes` times and prints "inflate FILE: median ms (min…max), N bytes, crc".
func benchInflate(_ raw: [UInt8], file: String, passes: Int) {
    var out: [UInt8] = []
    var times: [Double] = []
    do {
        for _ in 0..<max(1, passes) { times.append(try cpuMilliseconds { out = try Gzip.inflate(raw, file: file) }) }
    } catch {
        warn("tinynn-bench: \(error)\n")
        exit(1)
    }
    times.sort()
    let median = times[times.count / 2]
    print(String(format: "tinynn inflate %@: %.2f ms CPU per pass (median of %d; %.2f…%.2f), %d bytes, crc32 %08x",
                 file, median, times.count, times.first!, times.last!, out.count, crc32(out)))
}
