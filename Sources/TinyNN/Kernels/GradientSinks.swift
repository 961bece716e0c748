/// What a ``GradientTile`` does with each finished weight-gradient sum of a
/// mini-batch: stores it (``StoreSums``) or feeds it straight into one
/// optimizer rule's update (the fused BP3/BP4 step,
/// ``Kernels/denseGradientStep``). It receives the weight index `k` and the
/// sums of weights `k..<k+8` (or of `k` alone).
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
