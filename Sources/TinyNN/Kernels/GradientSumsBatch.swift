/// BP3 and BP4 over a mini-batch: the gradient sums `Σₛ δ[s]` and
/// `Σₛ δ[s]·a[s]ᵀ`, stored (``Kernels/accumulateGradientsBatch``) or fed
/// straight into the optimizer step (``Kernels/denseGradientStep``).
/// delta: `[B][Out]`, a: `[B][In]`; gw, w: `[Out][In]`; gb, b: `[Out]`.
///
/// Every weight's sum is one chain of fused multiply-adds over the samples
/// in order, `fma(δ[s][j], a[s][i], sum)` for `s = 0, 1, …, B−1`, the
/// chain ``accumulateGradients`` forms when called sample by sample; the
/// register tile (``GradientTile``) only decides how many chains run side
/// by side, so it changes no bit.
extension Kernels {
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
        var ahead = AheadPrefetch.none
        gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                     initial: UnsafePointer(gw), into: StoreSums(gw: gw), ahead: &ahead)
        for j in 0..<outCount { gb[j] = biasSum(delta: delta, initial: gb[j], j: j, outCount: outCount, batchCount: batchCount) }
    }

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
        var ahead = AheadPrefetch(ahead, count: aheadCount, inCount: inCount, outCount: outCount)
        // One instance of the tile loop per rule, so that no tile switches on it.
        switch weightStep.kind {
        case .sgd where weightStep.lambda.bitPattern == 0:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: SGDWithoutDecaySums(w: w, step: weightStep), ahead: &ahead)
        case .sgd:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: SGDSums(w: w, step: weightStep), ahead: &ahead)
        case .momentum:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: MomentumSums(w: w, v: stateW!, step: weightStep), ahead: &ahead)
        case .adam:
            gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                         initial: nil, into: AdamSums(w: w, m: stateW!, count: weights, step: weightStep), ahead: &ahead)
        }
        for j in 0..<outCount {
            let sum = biasSum(delta: delta, initial: 0, j: j, outCount: outCount, batchCount: batchCount)
            biasStep.apply(b, sum, at: j, state: stateB, count: outCount)
        }
    }

    /// `gw = Σₛ δ[s]·a[s]ᵀ` from clear sums (overwritten), through the
    /// schedule of ``denseGradientStep`` (on the hosts, its 5-row tiles):
    /// the fused step's sums, made visible for tests.
    @_spi(Testing)
    public static func weightGradientSums(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>, gw: UnsafeMutablePointer<Float>,
        inCount: Int, outCount: Int, batchCount: Int
    ) {
        var ahead = AheadPrefetch.none
        gradientSums(delta: delta, a: a, inCount: inCount, outCount: outCount, batchCount: batchCount,
                     initial: nil, into: StoreSums(gw: gw), ahead: &ahead)
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
    /// `s = 0, 1, …, B−1`; then the sink's `vector(k, sums of k..<k+8)` or
    /// `scalar(k, sum)` receives it. The rows go in groups of 5 (then 4, then
    /// 1), each group as ``GradientRows``. (The sink is a generic parameter
    /// rather than a closure so that every instance is specialized and
    /// inlined, with no call inside a tile.)
    @inlinable @inline(__always)
    static func gradientSums<Sink: GradientSink>(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>,
        inCount: Int, outCount: Int, batchCount: Int,
        initial: UnsafePointer<Float>?, into sink: Sink, ahead: inout AheadPrefetch
    ) {
        var j = 0
        // 5 rows: 10 independent sums (two more than the FMA pipes' latency
        // needs), 7 loads per 10 fused multiply-adds. Only from clear sums:
        // with ten starting values to load as well, the compiler's schedule
        // spills and the 4-row tile is faster. Only on the hosts, where the
        // batched engine runs (it would add 20 KB of code to a Cortex-M or
        // RISC-V build).
        #if TINYNN_SIMD8
        while initial == nil && j &+ 5 <= outCount {
            GradientRows<5>.sums(delta: delta, a: a, j: j, inCount: inCount, outCount: outCount, batchCount: batchCount,
                                 initial: initial, into: sink, ahead: &ahead)
            j &+= 5
        }
        #endif
        while j &+ 4 <= outCount {
            GradientRows<4>.sums(delta: delta, a: a, j: j, inCount: inCount, outCount: outCount, batchCount: batchCount,
                                 initial: initial, into: sink, ahead: &ahead)
            j &+= 4
        }
        while j < outCount {
            GradientRows<1>.sums(delta: delta, a: a, j: j, inCount: inCount, outCount: outCount, batchCount: batchCount,
                                 initial: initial, into: sink, ahead: &ahead)
            j &+= 1
        }
    }
}

/// The weight-gradient sums of rows `j..<j+Rows`, every column: tiles of
/// `Rows` × 16 columns, then (for the at most 15 columns left) one of
/// `Rows` × 8 and one of `Rows` × the last at most 7 columns as the low
/// lanes of a vector (the high lanes are zero, and dropped).
@usableFromInline
enum GradientRows<let Rows: Int> {
    @usableFromInline @_transparent
    static func sums<Sink: GradientSink>(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>, j: Int, inCount: Int, outCount: Int, batchCount: Int,
        initial: UnsafePointer<Float>?, into sink: Sink, ahead: inout AheadPrefetch
    ) {
        let pairEnd = inCount & ~15, blockEnd = inCount & ~7
        var i = 0
        while i < pairEnd {
            ahead.tile()
            GradientTile<Rows, 2>.sums(delta: delta, a: a, j: j, i: i, lanes: 8, inCount: inCount, outCount: outCount,
                                       batchCount: batchCount, initial: initial, into: sink)
            i &+= 16
        }
        if i < blockEnd {
            GradientTile<Rows, 1>.sums(delta: delta, a: a, j: j, i: i, lanes: 8, inCount: inCount, outCount: outCount,
                                       batchCount: batchCount, initial: initial, into: sink)
            i &+= 8
        }
        if i < inCount {
            GradientTile<Rows, 1>.sums(delta: delta, a: a, j: j, i: i, lanes: inCount &- i, inCount: inCount,
                                       outCount: outCount, batchCount: batchCount, initial: initial, into: sink)
        }
        ahead.catchUp(rows: j &+ Rows)
    }
}

/// One register tile of the weight-gradient sums: `Rows` rows × `Vectors`
/// blocks of eight columns, `Rows·Vectors` vector sums that stay in
/// registers across the whole batch. Per sample: `Vectors` loads of `a[s]`,
/// `Rows` broadcasts of `δ[s][j]`, `Rows·Vectors` fused multiply-adds.
///
/// The shape is the one thing the schedule varies (5 × 2 vectors on the
/// hosts from clear sums, 4 × 2 otherwise, 1 × 2 for the last rows, with
/// 1-vector tiles for the columns past the last 16); the fixed trip counts
/// let the compiler unroll the loops below into plain registers.
@usableFromInline
enum GradientTile<let Rows: Int, let Vectors: Int> {
    /// The sums of weights `(j + r)·In + i + c`, `r < Rows`, `c < 8·Vectors`
    /// (or, with `lanes < 8`, `Vectors` = 1 and `c < lanes`), handed to
    /// `sink`: `vector` for whole blocks, `scalar` lane by lane for a partial one.
    /// - Parameter lanes: 8, or `1...7` for the last columns of the rows.
    @usableFromInline @_transparent
    static func sums<Sink: GradientSink>(
        delta: UnsafePointer<Float>, a: UnsafePointer<Float>, j: Int, i: Int, lanes: Int,
        inCount: Int, outCount: Int, batchCount: Int, initial: UnsafePointer<Float>?, into sink: Sink
    ) {
        let k = j &* inCount &+ i
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
            lanes == 8 ? Kernels.load8(p) : Kernels.loadPartial(p, lanes)
        }
        var g = InlineArray<Rows, InlineArray<Vectors, SIMD8<Float>>>(repeating: InlineArray(repeating: SIMD8()))
        if let initial {
            for r in 0..<Rows {
                for v in 0..<Vectors { g[r][v] = load(initial + (k &+ r &* inCount &+ 8 &* v)) }
            }
        }
        var x = a + i, d = delta + j
        // Until δ's pointer reaches the end: the increment is the test (a
        // count of samples left, or `for _ in 0..<batchCount`, cost a
        // compare, a branch and a jump a sample besides).
        let dEnd = d + batchCount &* outCount
        while d != dEnd {
            var xs = InlineArray<Vectors, SIMD8<Float>>(repeating: SIMD8())
            for v in 0..<Vectors { xs[v] = load(x + 8 &* v) }
            for r in 0..<Rows {
                let dr = SIMD8<Float>(repeating: d[r])
                for v in 0..<Vectors { g[r][v].addProduct(dr, xs[v]) }
            }
            x += inCount; d += outCount
        }
        // Row by row as straight-line code: left to the compiler as a loop
        // over the rows, a long sink (Adam) kept the loop, with the sums
        // spilled to the stack to be indexed. (`Rows` is a constant in every
        // specialization, so the tests fold away; no tile has more than 5 rows.)
        if Rows > 0 { handOff(g[0], k: k, lanes: lanes, into: sink) }
        if Rows > 1 { handOff(g[1], k: k &+ inCount, lanes: lanes, into: sink) }
        if Rows > 2 { handOff(g[2], k: k &+ 2 &* inCount, lanes: lanes, into: sink) }
        if Rows > 3 { handOff(g[3], k: k &+ 3 &* inCount, lanes: lanes, into: sink) }
        if Rows > 4 { handOff(g[4], k: k &+ 4 &* inCount, lanes: lanes, into: sink) }
        for r in min(Rows, 5)..<Rows { handOff(g[r], k: k &+ r &* inCount, lanes: lanes, into: sink) }
    }

    /// One row's sums, weights `k..<k + 8·Vectors` (or `k..<k + lanes`), handed to `sink`.
    @usableFromInline @_transparent
    static func handOff<Sink: GradientSink>(_ row: InlineArray<Vectors, SIMD8<Float>>, k: Int, lanes: Int, into sink: Sink) {
        for v in 0..<Vectors {
            let kv = k &+ 8 &* v
            if lanes == 8 {
                sink.vector(kv, row[v])
            } else {
                for l in 0..<lanes { sink.scalar(kv &+ l, row[v][l]) }
            }
        }
    }
}

/// The prefetch of memory the next step will read (the next mini-batch's
/// inputs), spread thinly over a gradient step: a burst of prefetches finds
/// the miss buffers full and is mostly dropped. Each 16-column tile asks for
/// a few lines, and each row group catches up with its share. A hint: it
/// changes no value. (Passed inout: a nested function capturing the cursor
/// would box it, which Embedded -no-allocations rejects.)
@usableFromInline
struct AheadPrefetch {
    @usableFromInline let p: UnsafePointer<Float>?
    /// 16-float lines to ask for, lines per 16-column tile, rows in all.
    @usableFromInline let lines: Int, perTile: Int, outCount: Int
    @usableFromInline var line = 0

    /// Nothing to prefetch.
    @inlinable static var none: AheadPrefetch { AheadPrefetch(nil, count: 0, inCount: 0, outCount: 1) }

    /// `count` floats from `p` (nothing below 256: a small layer's data is in L1 anyway),
    /// spread over the tiles of an `[outCount][inCount]` step.
    @inlinable
    init(_ p: UnsafePointer<Float>?, count: Int, inCount: Int, outCount: Int) {
        self.p = p
        self.outCount = outCount
        lines = p == nil || count < 256 ? 0 : (count &+ 15) >> 4 &+ 1
        let tiles = max(1, (outCount / 5) &* (inCount >> 4))
        perTile = (lines &+ tiles &- 1) / tiles
    }

    /// A 16-column tile's share.
    @inlinable @inline(__always)
    mutating func tile() {
        if line < lines { Kernels.prefetchLines(p!, &line, upTo: min(line &+ perTile, lines)) }
    }

    /// Catches up with the share of rows `..<rows`.
    @inlinable @inline(__always)
    mutating func catchUp(rows: Int) {
        if lines > 0 { Kernels.prefetchLines(p!, &line, upTo: min(lines &* rows / outCount, lines)) }
    }
}
