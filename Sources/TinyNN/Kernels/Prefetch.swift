/// Software prefetch: a hint that memory will be read soon, so that the
/// batched kernels can ask for the next inputs while they compute on the
/// current ones. A hint changes no value, only when a cache line arrives.
///
/// A plain load cannot stand in for it: a load that misses to DRAM holds up
/// retirement until its line arrives, stalling the arithmetic behind it; a
/// prefetch instruction retires at once. Swift has no prefetch in its
/// standard library, so the hosts (x86-64, arm64) call LLVM's
/// `llvm.prefetch` intrinsic directly (it becomes `prefetcht0` or `prfm`);
/// elsewhere it is a no-op.
extension Kernels {
    /// Asks for the cache line holding `p`, to be read, into the outer
    /// caches (locality 1: `prefetcht2`). Measured on Zen 4: prefetching the
    /// next batch's inputs into L1 (`prefetcht0`) while the gradient step
    /// streams its weights slowed the step by more than it saved the next
    /// forward pass; into L2 it recovers about half the cost of reading
    /// the inputs from DRAM.
    @inlinable @inline(__always)
    public static func prefetch(_ p: UnsafePointer<Float>) {
        #if arch(x86_64) || arch(arm64)
        _llvmPrefetch(UnsafeRawPointer(p), 0, 1, 1)
        #endif
    }

    /// Asks for lines `line..<end` of the 16-float lines from `p`, and
    /// leaves `line` at `end` (a cursor for spreading a prefetch over a loop).
    @inlinable @inline(__always)
    public static func prefetchLines(_ p: UnsafePointer<Float>, _ line: inout Int, upTo end: Int) {
        while line < end {
            prefetch(p + (line << 4))
            line &+= 1
        }
    }

    /// Asks for every cache line of `count` floats from `p` (none below
    /// 256 floats: a small layer's data is in L1 anyway).
    @inlinable @inline(__always)
    public static func prefetch(_ p: UnsafePointer<Float>, count: Int) {
        #if arch(x86_64) || arch(arm64)
        if count < 256 { return }
        var line = 0
        prefetchLines(p, &line, upTo: (count &+ 15) >> 4 &+ 1)  // one more, in case p is not line-aligned
        #endif
    }
}

#if arch(x86_64) || arch(arm64)
/// `llvm.prefetch(address, rw, locality, cache)`: rw 0 read, 1 write;
/// locality 0 (none, `prefetchnta`) to 3 (all levels, `prefetcht0`); cache 1
/// data. The arguments must be constants at every call.
@usableFromInline @_silgen_name("llvm.prefetch.p0")
func _llvmPrefetch(_ address: UnsafeRawPointer, _ rw: Int32, _ locality: Int32, _ cache: Int32)
#endif
