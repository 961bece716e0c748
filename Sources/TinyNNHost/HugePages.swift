#if canImport(Glibc)
import Glibc
#endif

/// Advice to the kernel for the few large buffers a training run fills once
/// (the inflated file, the pixels as floats, the training and held-out rows).
///
/// Filling tens of MiB of fresh memory a 4 KiB page at a time costs one page
/// fault per page: 20,870 faults, about a third of `tinynn train`'s start-up on
/// MNIST. Transparent huge pages (2 MiB; the kernel's `madvise` mode, the usual
/// default) fault once per 2 MiB, and their TLB entries cover the data set that
/// each epoch reads in shuffled order. Advice only: no value changes, and where
/// the kernel says no (another OS, THP off) nothing happens.
enum HugePages {
    /// Buffers smaller than this are left alone (a huge page would be mostly empty).
    static let minimumBytes = 4 << 20

    /// Advises huge pages for `count` bytes at `base`, memory not yet written.
    static func advise(_ base: UnsafeMutableRawPointer, bytes count: Int) {
        #if os(Linux)
        guard count >= minimumBytes else { return }
        // madvise wants a page-aligned start; the kernel itself uses huge pages
        // only for the 2 MiB-aligned stretches inside the range.
        let page = 4096, start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + count) & ~(page - 1)
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// `advise` for a typed buffer.
    static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard let base = buffer.baseAddress else { return }
        advise(UnsafeMutableRawPointer(base), bytes: buffer.count * MemoryLayout<T>.stride)
    }
}
