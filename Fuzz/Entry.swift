#if canImport(Glibc)
import Glibc
#endif

// libFuzzer's entry point, compiled by Scripts/fuzz together with the
// TinyNNHost sources (so their branches are coverage-instrumented). The
// format comes from TINYNN_FUZZ_FORMAT: csv, idx, gzip or tnn.
nonisolated(unsafe) let fuzzFormat: FuzzTarget.Format = {
    let name = getenv("TINYNN_FUZZ_FORMAT").map { String(cString: $0) } ?? ""
    guard let f = FuzzTarget.Format(rawValue: name) else {
        fputs("fuzz: set TINYNN_FUZZ_FORMAT to csv, idx, gzip or tnn\n", stderr)
        exit(2)
    }
    return f
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    FuzzTarget.run(fuzzFormat, bytes)
    return 0
}
