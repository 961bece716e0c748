/// The kernels of a fully connected layer over a whole mini-batch: the
/// forward product, BP2's product, and BP3/BP4 summed over the batch. `B`
/// is the number of samples; batched activations are sample-major,
/// `a: [B][In]`, `z, delta: [B][Out]`.
///
/// Each output value is computed by exactly the operations, in exactly the
/// order, of the single-sample kernel it batches (``denseForward``,
/// ``transposedProduct``, ``accumulateGradients`` applied to the samples in
/// order); only the schedule differs: a register tile covers several rows
/// *and* several samples, so each weight loaded serves more than one sample.
extension Kernels {
    /// Forward over a mini-batch: `z[s] = W·a[s] + b` for `s = 0..<B`.
    /// w: `[Out][In]`, b: `[Out]`, a: `[B][In]` → z: `[B][Out]`.
    ///
    /// `z[s][j]` is bit for bit ``denseForward`` of sample `s`: ``dot`` in
    /// the canonical order, then `+ b[j]`. The register tile is 2 rows × 5
    /// samples: 10 independent accumulators, 7 loads per 10 fused
    /// multiply-adds, and each weight is fetched once per 5 samples. A tile
    /// that overhangs the last row or sample repeats the last one (the same
    /// operations on the same data) and does not store the repeat. While a
    /// tile computes, the next tile's inputs are prefetched.
    ///
    /// With `copy`, the first row pair of each tile also stores the tile's
    /// inputs there, and the other row pairs read that copy: for inputs that
    /// are not 32-byte aligned, an aligned `copy` saves the split-line loads
    /// at the price of stores that overlap the first pass's arithmetic.
    /// - Parameters:
    ///   - inCount: `In ≥ 1`
    ///   - outCount: `Out ≥ 1`
    ///   - batchCount: `B ≥ 1`
    ///   - z: must not alias `a`
    ///   - copy: nil, or `[B][In]` receiving a copy of `a`; must alias nothing else.
    @inlinable
    public static func denseForwardBatch(
        w: UnsafePointer<Float>, b: UnsafePointer<Float>, a: UnsafePointer<Float>,
        z: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int, batchCount: Int,
        copy: UnsafeMutablePointer<Float>? = nil
    ) {
        let blockEnd = inCount & ~7
        #if !(arch(x86_64) || arch(arm64))
        // Microcontrollers: no vector loads to split, and 8 KB less code.
        var a = a
        if let copy {
            copy.update(from: a, count: batchCount &* inCount)
            a = UnsafePointer(copy)
        }
        let copy: UnsafeMutablePointer<Float>? = nil
        #endif
        var s = 0
        while s < batchCount {
            let last = batchCount &- 1
            let s1 = min(s &+ 1, last), s2 = min(s &+ 2, last), s3 = min(s &+ 3, last), s4 = min(s &+ 4, last)
            var x0 = a + s &* inCount, x1 = a + s1 &* inCount, x2 = a + s2 &* inCount
            var x3 = a + s3 &* inCount, x4 = a + s4 &* inCount
            // The next tile's inputs, a share per row pair.
            // The next tile's inputs are prefetched a line every few
            // iterations (a burst of prefetches is mostly dropped).
            let next = a + (s &+ 5) &* inCount, nextCount = max(0, min(s &+ 10, batchCount) &- (s &+ 5)) &* inCount
            let nextLines = nextCount < 256 ? 0 : (nextCount &+ 15) >> 4 &+ 1
            var nextLine = 0
            let pairs = (outCount &+ 1) >> 1, perPass = (nextLines &+ pairs &- 1) / pairs
            let chunk = nextLines == 0 ? blockEnd : max(8, (blockEnd / max(perPass, 1)) & ~7)
            var j = 0
            while j < outCount {
                let j1 = min(j &+ 1, outCount &- 1)
                let w0 = w + j &* inCount, w1 = w + j1 &* inCount
                var p0 = SIMD8<Float>(), p1 = SIMD8<Float>(), p2 = SIMD8<Float>(), p3 = SIMD8<Float>(), p4 = SIMD8<Float>()
                var q0 = SIMD8<Float>(), q1 = SIMD8<Float>(), q2 = SIMD8<Float>(), q3 = SIMD8<Float>(), q4 = SIMD8<Float>()
                var i = 0
                if j == 0, let copy {
                    #if arch(x86_64) || arch(arm64)
                    let c0 = copy + s &* inCount, c1 = copy + s1 &* inCount, c2 = copy + s2 &* inCount
                    let c3 = copy + s3 &* inCount, c4 = copy + s4 &* inCount
                    while i < blockEnd {
                        let v = load8(w0 + i), u = load8(w1 + i)
                        let y0 = load8(x0 + i)
                        p0.addProduct(v, y0); q0.addProduct(u, y0); store8(y0, c0 + i)
                        let y1 = load8(x1 + i)
                        p1.addProduct(v, y1); q1.addProduct(u, y1); store8(y1, c1 + i)
                        let y2 = load8(x2 + i)
                        p2.addProduct(v, y2); q2.addProduct(u, y2); store8(y2, c2 + i)
                        let y3 = load8(x3 + i)
                        p3.addProduct(v, y3); q3.addProduct(u, y3); store8(y3, c3 + i)
                        let y4 = load8(x4 + i)
                        p4.addProduct(v, y4); q4.addProduct(u, y4); store8(y4, c4 + i)
                        i &+= 8
                    }
                    for t in blockEnd..<inCount {
                        c0[t] = x0[t]; c1[t] = x1[t]; c2[t] = x2[t]; c3[t] = x3[t]; c4[t] = x4[t]
                    }
                    x0 = UnsafePointer(c0); x1 = UnsafePointer(c1); x2 = UnsafePointer(c2)
                    x3 = UnsafePointer(c3); x4 = UnsafePointer(c4)
                    #endif
                } else {
                    while i < blockEnd {
                        let chunkEnd = min(i &+ chunk, blockEnd)
                        if nextLine < nextLines {
                            prefetch(next + (nextLine << 4))
                            nextLine &+= 1
                        }
                        while i < chunkEnd {
                        let v = load8(w0 + i), u = load8(w1 + i)
                        let y0 = load8(x0 + i)
                        p0.addProduct(v, y0); q0.addProduct(u, y0)
                        let y1 = load8(x1 + i)
                        p1.addProduct(v, y1); q1.addProduct(u, y1)
                        let y2 = load8(x2 + i)
                        p2.addProduct(v, y2); q2.addProduct(u, y2)
                        let y3 = load8(x3 + i)
                        p3.addProduct(v, y3); q3.addProduct(u, y3)
                        let y4 = load8(x4 + i)
                        p4.addProduct(v, y4); q4.addProduct(u, y4)
                        i &+= 8
                        }
                    }
                }
                var t0 = reduce(p0), t1 = reduce(p1), t2 = reduce(p2), t3 = reduce(p3), t4 = reduce(p4)
                var u0 = reduce(q0), u1 = reduce(q1), u2 = reduce(q2), u3 = reduce(q3), u4 = reduce(q4)
                while i < inCount {
                    let v = w0[i], u = w1[i]
                    t0.addProduct(v, x0[i]); t1.addProduct(v, x1[i]); t2.addProduct(v, x2[i])
                    t3.addProduct(v, x3[i]); t4.addProduct(v, x4[i])
                    u0.addProduct(u, x0[i]); u1.addProduct(u, x1[i]); u2.addProduct(u, x2[i])
                    u3.addProduct(u, x3[i]); u4.addProduct(u, x4[i])
                    i &+= 1
                }
                let b0 = b[j], b1 = b[j1]
                let z0 = z + j
                // Stores from the last (possibly repeated) sample down, so that
                // the real sample's value is the one left.
                z0[s4 &* outCount] = t4 + b0; z0[s3 &* outCount] = t3 + b0; z0[s2 &* outCount] = t2 + b0
                z0[s1 &* outCount] = t1 + b0; z0[s &* outCount] = t0 + b0
                if j1 != j {
                    let z1 = z + j1
                    z1[s4 &* outCount] = u4 + b1; z1[s3 &* outCount] = u3 + b1; z1[s2 &* outCount] = u2 + b1
                    z1[s1 &* outCount] = u1 + b1; z1[s &* outCount] = u0 + b1
                }
                j &+= 2
            }
            s &+= 5
        }
    }

    /// BP2's product over a mini-batch: `e[s] = Wᵀδ[s]` for `s = 0..<B`.
    /// w: `[Out][In]`, delta: `[B][Out]` → e: `[B][In]`.
    ///
    /// `e[s][i]` is bit for bit ``transposedProduct`` of sample `s`:
    /// `Σⱼ w[j][i]·δ[s][j]` summed from `0` in increasing `j`, fused. The
    /// register tile is 16 columns × 5 samples (10 independent sums, each
    /// pair of weight slices serving five samples); then an 8-column tile,
    /// and the last (at most 7) columns as the low lanes of one vector. A
    /// tile that overhangs the last sample repeats it and stores the real
    /// sample's value last.
    /// - Parameter e: overwritten; must not alias `w` or `delta`.
    @inlinable
    public static func transposedProductBatch(
        w: UnsafePointer<Float>, delta: UnsafePointer<Float>,
        e: UnsafeMutablePointer<Float>, inCount: Int, outCount: Int, batchCount: Int
    ) {
        let pairEnd = inCount & ~15, blockEnd = inCount & ~7, tail = inCount &- blockEnd
        let last = batchCount &- 1
        var s = 0
        while s < batchCount {
            let s1 = min(s &+ 1, last), s2 = min(s &+ 2, last), s3 = min(s &+ 3, last), s4 = min(s &+ 4, last)
            let d0 = delta + s &* outCount, d1 = delta + s1 &* outCount, d2 = delta + s2 &* outCount
            let d3 = delta + s3 &* outCount, d4 = delta + s4 &* outCount
            let e0 = e + s &* inCount, e1 = e + s1 &* inCount, e2 = e + s2 &* inCount
            let e3 = e + s3 &* inCount, e4 = e + s4 &* inCount
            @inline(__always) func store(_ c0: SIMD8<Float>, _ c1: SIMD8<Float>, _ c2: SIMD8<Float>,
                                         _ c3: SIMD8<Float>, _ c4: SIMD8<Float>, at i: Int) {
                store8(c4, e4 + i); store8(c3, e3 + i); store8(c2, e2 + i); store8(c1, e1 + i); store8(c0, e0 + i)
            }
            var i = 0
            while i < pairEnd {
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>(), c4 = SIMD8<Float>()
                var f0 = SIMD8<Float>(), f1 = SIMD8<Float>(), f2 = SIMD8<Float>(), f3 = SIMD8<Float>(), f4 = SIMD8<Float>()
                var row = w + i
                for j in 0..<outCount {
                    let v = load8(row), u = load8(row + 8)
                    let b0 = SIMD8<Float>(repeating: d0[j])
                    c0.addProduct(v, b0); f0.addProduct(u, b0)
                    let b1 = SIMD8<Float>(repeating: d1[j])
                    c1.addProduct(v, b1); f1.addProduct(u, b1)
                    let b2 = SIMD8<Float>(repeating: d2[j])
                    c2.addProduct(v, b2); f2.addProduct(u, b2)
                    let b3 = SIMD8<Float>(repeating: d3[j])
                    c3.addProduct(v, b3); f3.addProduct(u, b3)
                    let b4 = SIMD8<Float>(repeating: d4[j])
                    c4.addProduct(v, b4); f4.addProduct(u, b4)
                    row += inCount
                }
                store(c0, c1, c2, c3, c4, at: i)
                store(f0, f1, f2, f3, f4, at: i &+ 8)
                i &+= 16
            }
            if i < blockEnd {
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>(), c4 = SIMD8<Float>()
                var row = w + i
                for j in 0..<outCount {
                    let v = load8(row)
                    c0.addProduct(v, SIMD8(repeating: d0[j])); c1.addProduct(v, SIMD8(repeating: d1[j]))
                    c2.addProduct(v, SIMD8(repeating: d2[j])); c3.addProduct(v, SIMD8(repeating: d3[j]))
                    c4.addProduct(v, SIMD8(repeating: d4[j]))
                    row += inCount
                }
                store(c0, c1, c2, c3, c4, at: i)
                i &+= 8
            }
            if tail > 0 {
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>(), c4 = SIMD8<Float>()
                var row = w + i
                for j in 0..<outCount {
                    var v = SIMD8<Float>()
                    for l in 0..<tail { v[l] = row[l] }
                    c0.addProduct(v, SIMD8(repeating: d0[j])); c1.addProduct(v, SIMD8(repeating: d1[j]))
                    c2.addProduct(v, SIMD8(repeating: d2[j])); c3.addProduct(v, SIMD8(repeating: d3[j]))
                    c4.addProduct(v, SIMD8(repeating: d4[j]))
                    row += inCount
                }
                for l in 0..<tail {
                    e4[i &+ l] = c4[l]; e3[i &+ l] = c3[l]; e2[i &+ l] = c2[l]; e1[i &+ l] = c1[l]; e0[i &+ l] = c0[l]
                }
            }
            s &+= 5
        }
    }

    /// BP3 and BP4 summed over a mini-batch:
    /// `∂C/∂b += Σₛ δ[s]` and `∂C/∂W += Σₛ δ[s]·a[s]ᵀ`.
    /// delta: `[B][Out]`, a: `[B][In]` → gb: `[Out]`, gw: `[Out][In]`.
    ///
    /// Bit for bit ``accumulateGradients`` applied to `s = 0, 1, …, B−1` in
    /// turn: `gw[j][i] = fma(δ[s][j], a[s][i], gw[j][i])`,
    /// `gb[j] = gb[j] + δ[s][j]`, samples in order. Each sum is kept in a
    /// register across the batch instead of being loaded and stored per sample.
    @inlinable
    public static func accumulateGradientsBatch(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>,
        gw: UnsafeMutablePointer<Float>, gb: UnsafeMutablePointer<Float>,
        inCount: Int, outCount: Int, batchCount: Int
    ) {
        gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                     initial: UnsafePointer(gw), into: StoreSums(gw: gw))
        for j in 0..<outCount { gb[j] = biasSum(delta: delta, initial: gb[j], j: j, outCount: outCount, batchCount: batchCount) }
    }

    /// BP3 of one neuron over a mini-batch: `initial + δ[0][j] + δ[1][j] + …`, in sample order.
    @inlinable @inline(__always)
    static func biasSum(delta: UnsafePointer<Float>, initial: Float, j: Int, outCount: Int, batchCount: Int) -> Float {
        var g = initial
        var d = delta + j
        for _ in 0..<batchCount {
            g += d[0]
            d += outCount
        }
        return g
    }

    /// The weight-gradient sums of a mini-batch, handed over tile by tile
    /// while they are still in registers: the schedule shared by
    /// ``accumulateGradientsBatch`` and the fused gradient-and-update step.
    ///
    /// For each weight `k = j·In + i` the sum starts at `initial[k]` (or `+0`
    /// when `initial` is nil) and takes `fma(δ[s][j], a[s][i], sum)` for
    /// `s = 0, 1, …, B−1`; then `vector(k, sums of k..<k+8)` or `scalar(k, sum)`
    /// receives it. Tiles are 5 rows × 16 columns (then 4 rows, then single
    /// rows): 10 sums, 2 loads and 5 broadcasts per 10 fused multiply-adds.
    /// (The receiver is a generic
    /// parameter rather than a closure so that every instance is
    /// specialized and inlined, with no call inside a tile.)
    @inlinable @inline(__always)
    static func gradientSums<Sink: GradientSink>(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>,
        inCount: Int, outCount: Int, batchCount: Int,
        initial: UnsafePointer<Float>?, into sink: Sink,
        prefetching ahead: UnsafePointer<Float>? = nil, aheadCount: Int = 0
    ) {
        // The prefetch of `ahead`, spread thinly over the step: a burst of
        // prefetches finds the miss buffers full and is mostly dropped.
        // Each 16-column tile of the 5-row path asks for `perTile` lines, and
        // each row group catches up with its share.
        let aheadLines = ahead == nil || aheadCount < 256 ? 0 : (aheadCount &+ 15) >> 4 &+ 1
        // (The cursor is passed inout: a nested function capturing it would
        // box it, which Embedded -no-allocations rejects.)
        var aheadLine = 0
        let tiles = max(1, (outCount / 5) &* (inCount >> 4))
        let perTile = (aheadLines &+ tiles &- 1) / tiles
        /// Catches up with the share of rows `..<j + rows`.
        @inline(__always) func prefetchAhead(_ j: Int, _ rows: Int, _ line: inout Int) {
            if aheadLines > 0 { prefetchLines(ahead!, &line, upTo: min(aheadLines &* (j &+ rows) / outCount, aheadLines)) }
        }
        @inline(__always) func vector(_ k: Int, _ sum: SIMD8<Float>) { sink.vector(k, sum) }
        @inline(__always) func scalar(_ k: Int, _ sum: Float) { sink.scalar(k, sum) }
        @inline(__always) func start8(_ k: Int) -> SIMD8<Float> {
            if let initial { return load8(initial + k) }
            return SIMD8()
        }
        @inline(__always) func start1(_ k: Int) -> Float {
            if let initial { return initial[k] }
            return 0
        }
        let pairEnd = inCount & ~15, blockEnd = inCount & ~7
        var j = 0
        // 5 rows × 16 columns: 10 independent sums (two more than the FMA
        // pipes' latency needs), 7 loads per 10 fused multiply-adds. Only
        // from clear sums: with ten starting values to load as well, the
        // compiler's schedule spills and the 4-row tile is faster. Only on
        // the hosts, where the batched engine runs (it would add 20 KB of
        // code to a Cortex-M or RISC-V build).
        #if arch(x86_64) || arch(arm64)
        while initial == nil && j &+ 5 <= outCount {
            let k0 = j &* inCount
            var i = 0
            while i < pairEnd {
                if aheadLine < aheadLines { prefetchLines(ahead!, &aheadLine, upTo: min(aheadLine &+ perTile, aheadLines)) }
                let k = k0 &+ i
                var g00 = start8(k), g01 = start8(k &+ 8)
                var g10 = start8(k &+ inCount), g11 = start8(k &+ inCount &+ 8)
                var g20 = start8(k &+ 2 &* inCount), g21 = start8(k &+ 2 &* inCount &+ 8)
                var g30 = start8(k &+ 3 &* inCount), g31 = start8(k &+ 3 &* inCount &+ 8)
                var g40 = start8(k &+ 4 &* inCount), g41 = start8(k &+ 4 &* inCount &+ 8)
                var x = a + i, d = delta + j
                for _ in 0..<batchCount {
                    let x0 = load8(x), x1 = load8(x + 8)
                    let d0 = SIMD8<Float>(repeating: d[0])
                    g00.addProduct(d0, x0); g01.addProduct(d0, x1)
                    let d1 = SIMD8<Float>(repeating: d[1])
                    g10.addProduct(d1, x0); g11.addProduct(d1, x1)
                    let d2 = SIMD8<Float>(repeating: d[2])
                    g20.addProduct(d2, x0); g21.addProduct(d2, x1)
                    let d3 = SIMD8<Float>(repeating: d[3])
                    g30.addProduct(d3, x0); g31.addProduct(d3, x1)
                    let d4 = SIMD8<Float>(repeating: d[4])
                    g40.addProduct(d4, x0); g41.addProduct(d4, x1)
                    x += inCount; d += outCount
                }
                vector(k, g00); vector(k &+ 8, g01)
                vector(k &+ inCount, g10); vector(k &+ inCount &+ 8, g11)
                vector(k &+ 2 &* inCount, g20); vector(k &+ 2 &* inCount &+ 8, g21)
                vector(k &+ 3 &* inCount, g30); vector(k &+ 3 &* inCount &+ 8, g31)
                vector(k &+ 4 &* inCount, g40); vector(k &+ 4 &* inCount &+ 8, g41)
                i &+= 16
            }
            // The columns past the last 16 (at most 15), the five rows together:
            // an 8-column block, then the last (at most 7) columns as the
            // low lanes of one vector (the high lanes are zero, and dropped).
            if pairEnd < blockEnd {
                let k = k0 &+ pairEnd
                var g0 = start8(k), g1 = start8(k &+ inCount), g2 = start8(k &+ 2 &* inCount)
                var g3 = start8(k &+ 3 &* inCount), g4 = start8(k &+ 4 &* inCount)
                var x = a + pairEnd, d = delta + j
                for _ in 0..<batchCount {
                    let x0 = load8(x)
                    g0.addProduct(SIMD8(repeating: d[0]), x0); g1.addProduct(SIMD8(repeating: d[1]), x0)
                    g2.addProduct(SIMD8(repeating: d[2]), x0); g3.addProduct(SIMD8(repeating: d[3]), x0)
                    g4.addProduct(SIMD8(repeating: d[4]), x0)
                    x += inCount; d += outCount
                }
                vector(k, g0); vector(k &+ inCount, g1); vector(k &+ 2 &* inCount, g2)
                vector(k &+ 3 &* inCount, g3); vector(k &+ 4 &* inCount, g4)
            }
            let tail = inCount &- blockEnd
            if tail > 0 {
                let k = k0 &+ blockEnd
                var g0 = SIMD8<Float>(), g1 = SIMD8<Float>(), g2 = SIMD8<Float>(), g3 = SIMD8<Float>(), g4 = SIMD8<Float>()
                var x = a + blockEnd, d = delta + j
                for _ in 0..<batchCount {
                    var x0 = SIMD8<Float>()
                    for l in 0..<tail { x0[l] = x[l] }
                    g0.addProduct(SIMD8(repeating: d[0]), x0); g1.addProduct(SIMD8(repeating: d[1]), x0)
                    g2.addProduct(SIMD8(repeating: d[2]), x0); g3.addProduct(SIMD8(repeating: d[3]), x0)
                    g4.addProduct(SIMD8(repeating: d[4]), x0)
                    x += inCount; d += outCount
                }
                for l in 0..<tail {
                    scalar(k &+ l, g0[l]); scalar(k &+ inCount &+ l, g1[l]); scalar(k &+ 2 &* inCount &+ l, g2[l])
                    scalar(k &+ 3 &* inCount &+ l, g3[l]); scalar(k &+ 4 &* inCount &+ l, g4[l])
                }
            }
            prefetchAhead(j, 5, &aheadLine)
            j &+= 5
        }
        #endif
        while j &+ 4 <= outCount {
            prefetchAhead(j, 4, &aheadLine)
            let k0 = j &* inCount, k1 = k0 &+ inCount, k2 = k1 &+ inCount, k3 = k2 &+ inCount
            var i = 0
            while i < pairEnd {
                var g00 = start8(k0 &+ i), g01 = start8(k0 &+ i &+ 8), g10 = start8(k1 &+ i), g11 = start8(k1 &+ i &+ 8)
                var g20 = start8(k2 &+ i), g21 = start8(k2 &+ i &+ 8), g30 = start8(k3 &+ i), g31 = start8(k3 &+ i &+ 8)
                var x = a + i, d = delta + j
                for _ in 0..<batchCount {
                    let x0 = load8(x), x1 = load8(x + 8)
                    let d0 = SIMD8<Float>(repeating: d[0]), d1 = SIMD8<Float>(repeating: d[1])
                    let d2 = SIMD8<Float>(repeating: d[2]), d3 = SIMD8<Float>(repeating: d[3])
                    g00.addProduct(d0, x0); g01.addProduct(d0, x1)
                    g10.addProduct(d1, x0); g11.addProduct(d1, x1)
                    g20.addProduct(d2, x0); g21.addProduct(d2, x1)
                    g30.addProduct(d3, x0); g31.addProduct(d3, x1)
                    x += inCount; d += outCount
                }
                vector(k0 &+ i, g00); vector(k0 &+ i &+ 8, g01); vector(k1 &+ i, g10); vector(k1 &+ i &+ 8, g11)
                vector(k2 &+ i, g20); vector(k2 &+ i &+ 8, g21); vector(k3 &+ i, g30); vector(k3 &+ i &+ 8, g31)
                i &+= 16
            }
            while i < blockEnd {
                var g0 = start8(k0 &+ i), g1 = start8(k1 &+ i), g2 = start8(k2 &+ i), g3 = start8(k3 &+ i)
                var x = a + i, d = delta + j
                for _ in 0..<batchCount {
                    let x0 = load8(x)
                    g0.addProduct(SIMD8(repeating: d[0]), x0); g1.addProduct(SIMD8(repeating: d[1]), x0)
                    g2.addProduct(SIMD8(repeating: d[2]), x0); g3.addProduct(SIMD8(repeating: d[3]), x0)
                    x += inCount; d += outCount
                }
                vector(k0 &+ i, g0); vector(k1 &+ i, g1); vector(k2 &+ i, g2); vector(k3 &+ i, g3)
                i &+= 8
            }
            while i < inCount {
                var g0 = start1(k0 &+ i), g1 = start1(k1 &+ i), g2 = start1(k2 &+ i), g3 = start1(k3 &+ i)
                var x = a + i, d = delta + j
                for _ in 0..<batchCount {
                    let xi = x[0]
                    g0.addProduct(d[0], xi); g1.addProduct(d[1], xi)
                    g2.addProduct(d[2], xi); g3.addProduct(d[3], xi)
                    x += inCount; d += outCount
                }
                scalar(k0 &+ i, g0); scalar(k1 &+ i, g1); scalar(k2 &+ i, g2); scalar(k3 &+ i, g3)
                i &+= 1
            }
            j &+= 4
        }
        while j < outCount {
            prefetchAhead(j, 1, &aheadLine)
            let k0 = j &* inCount
            var i = 0
            while i < blockEnd {
                var g0 = start8(k0 &+ i)
                var x = a + i, d = delta + j
                for _ in 0..<batchCount {
                    g0.addProduct(SIMD8(repeating: d[0]), load8(x))
                    x += inCount; d += outCount
                }
                vector(k0 &+ i, g0)
                i &+= 8
            }
            while i < inCount {
                var g0 = start1(k0 &+ i)
                var x = a + i, d = delta + j
                for _ in 0..<batchCount {
                    g0.addProduct(d[0], x[0])
                    x += inCount; d += outCount
                }
                scalar(k0 &+ i, g0)
                i &+= 1
            }
            j &+= 1
        }
    }
}

extension Kernels {
    /// `count < 8` floats as the low lanes of a vector (the others zero).
    @inlinable @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ count: Int) -> SIMD8<Float> {
        var v = SIMD8<Float>()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    /// Stores the low `count < 8` lanes of `v`.
    @inlinable @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        for l in 0..<count { p[l] = v[l] }
    }

    /// The activation over a mini-batch: `a[s] = σ(z[s])` for `s = 0..<B`.
    /// z, a: `[B][width]` (may alias).
    ///
    /// Bit for bit ``Activation/apply(z:a:count:leakySlope:)`` on each sample. An
    /// elementwise σ treats the batch as one vector of `B·width` values;
    /// sigmoid and tanh take eight at a time through the lane-by-lane forms
    /// in ``TinyMath`` where those exist; softmax goes sample by sample.
    @inlinable
    public static func activateBatch(
        _ activation: Activation, z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, width: Int, batchCount: Int,
        leakySlope: Float
    ) {
        let count = width &* batchCount
        var k = 0
        #if arch(x86_64) || arch(arm64)
        // Eight at a time, then the last (at most 7) as the low lanes of one vector.
        let blockEnd = count & ~7
        switch activation {
        case .sigmoid:
            while k < blockEnd { store8(TinyMath.sigmoid(load8(z + k)), a + k); k &+= 8 }
            if k < count {
                store(TinyMath.sigmoid(loadPartial(z + k, count &- k)), a + k, count &- k)
                k = count
            }
        case .tanh:
            while k < blockEnd { store8(TinyMath.tanh(load8(z + k)), a + k); k &+= 8 }
            if k < count {
                store(TinyMath.tanh(loadPartial(z + k, count &- k)), a + k, count &- k)
                k = count
            }
        default:
            break
        }
        #endif
        if activation == .softmax {
            for s in 0..<batchCount { activation.apply(z: z + s &* width, a: a + s &* width, count: width, leakySlope: leakySlope) }
        } else {
            activation.apply(z: z + k, a: a + k, count: count &- k, leakySlope: leakySlope)
        }
    }

    /// The Hadamard step of BP2 over a mini-batch, in place: `g[s] = ∂C/∂a[s]`
    /// becomes `δ[s] = ∂C/∂z[s]`. g, z, a: `[B][width]`.
    ///
    /// Bit for bit ``Activation/backpropagate(_:z:a:count:leakySlope:)`` on each sample;
    /// an elementwise σ treats the batch as one vector.
    @inlinable
    public static func backpropagateBatch(
        _ activation: Activation, _ g: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, a: UnsafePointer<Float>,
        width: Int, batchCount: Int, leakySlope: Float
    ) {
        if activation == .softmax {
            for s in 0..<batchCount {
                let o = s &* width
                activation.backpropagate(g + o, z: z + o, a: a + o, count: width, leakySlope: leakySlope)
            }
        } else {
            activation.backpropagate(g, z: z, a: a, count: width &* batchCount, leakySlope: leakySlope)
        }
    }
}

extension Kernels {
    /// BP3 and BP4 summed over a mini-batch and the optimizer step, fused:
    /// each weight's gradient sum goes from the registers straight into its
    /// update, so the sums never touch memory.
    /// delta: `[B][Out]`, a: `[B][In]`; w: `[Out][In]`, b: `[Out]` updated;
    /// stateW: `[stateCount][Out][In]`, stateB: `[stateCount][Out]` (nil for SGD).
    ///
    /// Bit for bit the same parameters and state as ``accumulateGradients``
    /// over the samples in order, starting from clear sums, followed by
    /// ``Optimizer/update(_:gradientSum:state:count:batchSize:decays:clock:)``
    /// on w (with weight decay) and on b (without).
    /// - Parameters:
    ///   - weightStep: the step for w, `decays: true`.
    ///   - biasStep: the step for b, `decays: false`.
    ///   - ahead: memory to prefetch while the step computes (`aheadCount`
    ///     floats; nil for none), such as the next mini-batch's inputs.
    @inlinable
    public static func denseGradientStep(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>,
        w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        stateW: UnsafeMutablePointer<Float>?, stateB: UnsafeMutablePointer<Float>?,
        inCount: Int, outCount: Int, batchCount: Int,
        weightStep: Optimizer.Step, biasStep: Optimizer.Step,
        prefetching ahead: UnsafePointer<Float>? = nil, aheadCount: Int = 0
    ) {
        let weights = inCount &* outCount
        // One instance of the tile loop per rule, so that no tile switches on it.
        switch weightStep.kind {
        case .sgd where weightStep.lambda.bitPattern == 0:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: SGDWithoutDecaySums(w: w, step: weightStep),
                         prefetching: ahead, aheadCount: aheadCount)
        case .sgd:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: SGDSums(w: w, step: weightStep),
                         prefetching: ahead, aheadCount: aheadCount)
        case .momentum:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: MomentumSums(w: w, v: stateW!, step: weightStep),
                         prefetching: ahead, aheadCount: aheadCount)
        case .adam:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: AdamSums(w: w, m: stateW!, count: weights, step: weightStep),
                         prefetching: ahead, aheadCount: aheadCount)
        }
        for j in 0..<outCount {
            let sum = biasSum(delta: delta, initial: 0, j: j, outCount: outCount, batchCount: batchCount)
            biasStep.apply(b, sum, at: j, state: stateB, count: outCount)
        }
    }
}

/// What ``Kernels/gradientSums(delta:a:inCount:outCount:batchCount:initial:into:)``
/// does with each finished sum: the weight index `k` and the sums of
/// weights `k..<k+8` (or of `k` alone).
@usableFromInline
protocol GradientSink {
    func vector(_ k: Int, _ sum: SIMD8<Float>)
    func scalar(_ k: Int, _ sum: Float)
}

/// Stores the sums: `gw[k] = sum`.
@usableFromInline
struct StoreSums: GradientSink {
    @usableFromInline let gw: UnsafeMutablePointer<Float>
    @inlinable init(gw: UnsafeMutablePointer<Float>) { self.gw = gw }
    @inlinable @inline(__always) func vector(_ k: Int, _ sum: SIMD8<Float>) { Kernels.store8(sum, gw + k) }
    @inlinable @inline(__always) func scalar(_ k: Int, _ sum: Float) { gw[k] = sum }
}

/// Applies SGD to `w[k]` with the sum.
@usableFromInline
struct SGDSums: GradientSink {
    @usableFromInline let w: UnsafeMutablePointer<Float>
    @usableFromInline let step: Optimizer.Step
    @inlinable init(w: UnsafeMutablePointer<Float>, step: Optimizer.Step) { self.w = w; self.step = step }
    @inlinable @inline(__always) func vector(_ k: Int, _ sum: SIMD8<Float>) { step.applySGD(w, sum, at: k) }
    @inlinable @inline(__always) func scalar(_ k: Int, _ sum: Float) { step.applySGD(w, sum, at: k) }
}

/// Applies SGD with `λ = +0` to `w[k]`: the parameter ``SGDSums`` leaves,
/// `p′ = fma(−η, g, p)` with `g = fma(+0, p, scale·Σ)`, computed with
/// `g = scale·Σ − (p − p)` instead, which needs no multiplier.
///
/// Why `p′` is the same for every input: `+0·p` is exact, `±0` with `p`'s
/// sign for finite `p` and NaN for ±∞ or NaN, so `g` is `scale·Σ` plus a
/// signed zero, or NaN. `p − p` is `+0` for finite `p` and NaN otherwise, and
/// `x − (+0) = x` for every `x` (zeros keep their sign), so the new `g` is
/// `scale·Σ` or NaN. The two `g`s differ only when `scale·Σ = −0` and `p` is
/// positive-signed (the old `g` is `+0`); then `p′ = p + (∓η·0)` is `p`
/// either way (`+0 + (±0) = +0`). NaN stays NaN (payload bits may differ).
/// The point: the multiply-add pipes are the bottleneck of this step, and
/// the two subtractions run on the adders, so each weight's update costs
/// two multiply-pipe operations instead of three (784→30 ×10: 5.7 → 5.4 µs).
/// (Not for momentum, whose state keeps `g`'s zero sign.)
@usableFromInline
struct SGDWithoutDecaySums: GradientSink {
    @usableFromInline let w: UnsafeMutablePointer<Float>
    @usableFromInline let step: Optimizer.Step
    @inlinable init(w: UnsafeMutablePointer<Float>, step: Optimizer.Step) { self.w = w; self.step = step }

    @inlinable @inline(__always) func vector(_ k: Int, _ sum: SIMD8<Float>) {
        let p = Kernels.load8(w + k)
        let g = SIMD8(repeating: step.scale) * sum - (p - p)
        Kernels.store8(p.addingProduct(SIMD8(repeating: step.negativeEta), g), w + k)
    }

    @inlinable @inline(__always) func scalar(_ k: Int, _ sum: Float) { step.applySGD(w, sum, at: k) }
}

/// Applies momentum to `w[k]` (velocity `v[k]`) with the sum.
@usableFromInline
struct MomentumSums: GradientSink {
    @usableFromInline let w: UnsafeMutablePointer<Float>
    @usableFromInline let v: UnsafeMutablePointer<Float>
    @usableFromInline let step: Optimizer.Step
    @inlinable init(w: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, step: Optimizer.Step) {
        self.w = w; self.v = v; self.step = step
    }
    @inlinable @inline(__always) func vector(_ k: Int, _ sum: SIMD8<Float>) { step.applyMomentum(w, sum, at: k, state: v) }
    @inlinable @inline(__always) func scalar(_ k: Int, _ sum: Float) { step.applyMomentum(w, sum, at: k, state: v) }
}

/// Applies Adam to `w[k]` (moments `m[k]`, `m[count + k]`) with the sum.
@usableFromInline
struct AdamSums: GradientSink {
    @usableFromInline let w: UnsafeMutablePointer<Float>
    @usableFromInline let m: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int
    @usableFromInline let step: Optimizer.Step
    @inlinable init(w: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, count: Int, step: Optimizer.Step) {
        self.w = w; self.m = m; self.count = count; self.step = step
    }
    @inlinable @inline(__always) func vector(_ k: Int, _ sum: SIMD8<Float>) { step.applyAdam(w, sum, at: k, state: m, count: count) }
    @inlinable @inline(__always) func scalar(_ k: Int, _ sum: Float) { step.applyAdam(w, sum, at: k, state: m, count: count) }
}
