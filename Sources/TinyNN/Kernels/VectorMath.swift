/// Eight-lane forms of the activation functions for the batched engine:
/// lane by lane exactly the IEEE operations of the scalar ``TinyMath``
/// function, in the same order, so every lane returns the scalar bits for
/// every input (±0, subnormals, ±∞ and NaN included; NaN lanes return the
/// canonical `Float.nan`, as the scalar functions do).
///
/// The scalar functions branch on the input; here both sides of each branch
/// are computed for every lane and the lane's side is selected with the
/// scalar branch's own comparison. A lane that takes a special case computes
/// the general formula on a harmless stand-in (0) and discards it; nothing
/// in between traps, so the stand-in cannot change another lane.
///
/// Only where `SIMD8<Float>` lives in vector registers (`TINYNN_SIMD8`: x86-64, arm64); on a
/// Cortex-M eight lanes would be eight scalars that do not fit the register
/// file, and the batched engine calls the scalar functions there (same bits).
#if TINYNN_SIMD8
extension TinyMath {
    /// ``sigmoid(_:)-(Float)``, lane by lane.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // The scalar function's normal path, in every lane; the others (|k| >
        // 124, NaN) are replaced below.
        let e = expParts(-x)
        let normal = resultIsNormal(e)
        let result = 1 / (1 + self.normal(e))
        // `== true` rather than `all(_:)`, which allocates in Embedded Swift
        // for x86-64 (a generic reduction); this is one vtestps there.
        if _fastPath(normal == SIMDMask(repeating: true)) { return result }
        // The other lanes: 1 for x > 0, else eˣ (NaN for NaN).
        let outside = exp(x).replacing(with: 1, where: x .> 0)
        return result.replacing(with: outside, where: .!normal)
    }

    /// ``tanh(_:)-(Float)``, lane by lane.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let a = magnitude(x)
        // The scalar function's `!(a < 9.1)`: ±∞, NaN and |x| ≥ 9.1.
        let general = a .< 9.1
        let small = a .< 0.55
        // |x| < 0.55: x + x³·Q(x²).
        let z = x * x
        var q = SIMD8<Float>(repeating: -0x1.b134a2p-8)
        q = SIMD8(repeating: 0x1.5d2206p-6).addingProduct(q, z)
        q = SIMD8(repeating: -0x1.b9a044p-5).addingProduct(q, z)
        q = SIMD8(repeating: 0x1.110feap-3).addingProduct(q, z)
        q = SIMD8(repeating: -0x1.555554p-2).addingProduct(q, z)
        var nearZero = x.addingProduct(x * z, q)
        nearZero.replace(with: x, where: a .< 0x1p-12)
        // 0.55 ≤ |x| < 9.1: 2/(1 + E) − 1, E = e⁻²ᵃ.
        let e = expSplit(-2 * a.replacing(with: 0, where: small .| .!general))
        let r = reciprocalOfOnePlus(e.head, e.tail, e.exponent)
        let positive = (2 * r.y - 1) + 2 * r.c
        var result = withSign(of: x, positive)
        result.replace(with: nearZero, where: small)
        // The special lanes: ±1, NaN for NaN.
        result.replace(with: withSign(of: x, SIMD8(repeating: 1)), where: .!general)
        return result.replacing(with: .nan, where: x .!= x)
    }

    /// ``exp(_:)-(Float)``, lane by lane.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // The scalar function's `!(x < 88.72…)` (NaN too) and `x ≤ −103.97…`.
        let overflow = .!(x .< 0x1.62e430p6)
        let underflow = x .<= -0x1.9fe36ap6
        let e = expParts(x.replacing(with: 0, where: overflow .| underflow))
        // Two factors in every lane: the same bits as the scalar function's
        // normal path wherever that is taken (both exact scalings of 1 + q).
        var result = scaled(1 + e.q, byPowerOfTwo: (e.t &<< 23) &>> 23)
        result.replace(with: 0, where: underflow)
        result.replace(with: .infinity, where: overflow)
        return result.replacing(with: .nan, where: x .!= x)
    }

    /// The scalar `resultIsNormal`, lane by lane.
    @inlinable @inline(__always)
    static func resultIsNormal(_ e: (q: SIMD8<Float>, t: SIMD8<Int32>)) -> SIMDMask<SIMD8<Int32>> {
        // The scalar function's window on t's bits, read as a window on t
        // itself: in [2²³, 2²⁴) the bits of t are 0x4b00_0000 + (t − 2²³), so
        // bits 0x4b40_0000 ± 124 are t = 1.5·2²³ ± 124, and a t outside
        // [2²³, 2²⁴), or NaN, fails both. Float compares are one vcmpps each;
        // Swift's integer SIMD compares went lane by lane through the stack
        // (84% of the batched sigmoid's time on Zen 4).
        let t = float(e.t)
        return (t .>= 0x1.8p23 - 124) .& (t .<= 0x1.8p23 + 124)
    }

    /// The scalar `normal`, lane by lane.
    @inlinable @inline(__always)
    static func normal(_ e: (q: SIMD8<Float>, t: SIMD8<Int32>)) -> SIMD8<Float> {
        let powerOfTwo = float(0x3f80_0000 &+ (e.t &<< 23))
        return powerOfTwo.addingProduct(powerOfTwo, e.q)
    }

    /// ``expParts(_:)-(Float)``, lane by lane; t's bits as `Int32`.
    @inlinable @inline(__always)
    static func expParts(_ x: SIMD8<Float>) -> (q: SIMD8<Float>, t: SIMD8<Int32>) {
        let shifter = SIMD8<Float>(repeating: 0x1.8p23)
        let t = x * 0x1.715476p0 + shifter
        let kf = t - shifter
        let r0 = x.addingProduct(-kf, SIMD8(repeating: 0x1.62e430p-1))
        let r = r0.addingProduct(-kf, SIMD8(repeating: -0x1.05c610p-29))
        let r2 = r * r
        let low = SIMD8<Float>(repeating: 0x1p-1).addingProduct(SIMD8(repeating: 0x1.5554dep-3), r)
        let high = SIMD8<Float>(repeating: 0x1.5555bap-5).addingProduct(SIMD8(repeating: 0x1.120b28p-7), r)
            .addingProduct(SIMD8(repeating: 0x1.6c69f6p-10), r2)
        let p = low.addingProduct(high, r2)
        return (r.addingProduct(r2, p), bits(t))
    }

    /// ``expSplit(_:)-(Float)``, lane by lane.
    @inlinable @inline(__always)
    static func expSplit(_ x: SIMD8<Float>) -> (head: SIMD8<Float>, tail: SIMD8<Float>, exponent: SIMD8<Int32>) {
        let shifter = SIMD8<Float>(repeating: 0x1.8p23)
        let t = x * 0x1.715476p0 + shifter
        let kf = t - shifter
        let k = bits(t) &- bits(shifter)

        let ln2hi = SIMD8<Float>(repeating: 0x1.62e430p-1), ln2lo = SIMD8<Float>(repeating: -0x1.05c610p-29)
        let r0 = x.addingProduct(-kf, ln2hi)
        let r = r0.addingProduct(-kf, ln2lo)
        let rTail = (r0 - r).addingProduct(-kf, ln2lo)

        var p = SIMD8<Float>(repeating: 0x1.6c69f6p-10)
        p = SIMD8(repeating: 0x1.120b28p-7).addingProduct(p, r)
        p = SIMD8(repeating: 0x1.5555bap-5).addingProduct(p, r)
        p = SIMD8(repeating: 0x1.5554dep-3).addingProduct(p, r)
        p = SIMD8(repeating: 0x1p-1).addingProduct(p, r)
        let a = 1 + r
        let aTail = r - (a - 1)
        let b = (aTail + rTail).addingProduct(r * r, p)
        let head = a + b
        return (head, b - (head - a), k)
    }

    /// ``scaled(_:byPowerOfTwo:)-(Float,_)``, lane by lane.
    @inlinable @inline(__always)
    static func scaled(_ m: SIMD8<Float>, byPowerOfTwo k: SIMD8<Int32>) -> SIMD8<Float> {
        let k1 = k &>> 1
        let k2 = k &- k1
        let s1 = float((k1 &+ 127) &<< 23)
        let s2 = float((k2 &+ 127) &<< 23)
        return m * s1 * s2
    }

    /// ``reciprocalOfOnePlus(_:_:_:)-(Float,_,_)``, lane by lane.
    @inlinable @inline(__always)
    static func reciprocalOfOnePlus(
        _ head: SIMD8<Float>, _ tail: SIMD8<Float>, _ k: SIMD8<Int32>
    ) -> (y: SIMD8<Float>, c: SIMD8<Float>) {
        let e = scaled(head, byPowerOfTwo: k)
        let d = 1 + e
        let dTail = ((1 - d) + e) + scaled(tail, byPowerOfTwo: k)
        let y = 1 / d
        let residual = SIMD8<Float>(repeating: 1).addingProduct(-y, d).addingProduct(-y, dTail)
        return (y, y * residual)
    }

    /// `|x|`, lane by lane (the sign bit cleared, as `Float.magnitude`).
    @inlinable @inline(__always)
    static func magnitude(_ x: SIMD8<Float>) -> SIMD8<Float> { float(bits(x) & 0x7fff_ffff) }

    /// `Float(signOf: x, magnitudeOf: m)` for `m ≥ +0`, lane by lane.
    @inlinable @inline(__always)
    static func withSign(of x: SIMD8<Float>, _ m: SIMD8<Float>) -> SIMD8<Float> {
        float((bits(x) & SIMD8(repeating: Int32.min)) | bits(m))
    }

    /// The lanes' bit patterns, as `Int32`.
    @inlinable @inline(__always)
    static func bits(_ x: SIMD8<Float>) -> SIMD8<Int32> { unsafeBitCast(x, to: SIMD8<Int32>.self) }

    /// The floats with these bit patterns.
    @inlinable @inline(__always)
    static func float(_ bits: SIMD8<Int32>) -> SIMD8<Float> { unsafeBitCast(bits, to: SIMD8<Float>.self) }
}
#endif

/// The activations' loops over a layer's outputs, vector where the target
/// has vector registers the firmware's kernels use: on Helium (`-D
/// TINYNN_MVE`, vector registers of 4 floats) the kernels of
/// `Firmware/Support/activation_mve.c`, four lanes at a time with the scalar
/// function's operations in each lane; what they leave (a group of four
/// with a lane off exp's normal path, the last `count % 4`) and every other
/// target take the scalar ``TinyMath`` functions. Elementwise, so the same
/// bits either way; z and a may alias.
extension Kernels {
    /// `a[j] = TinyMath.sigmoid(z[j])`.  z, a: `[count]`.
    @inlinable @inline(__always)
    public static func sigmoid(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        #if TINYNN_MVE
        var j = 0
        while true {
            j &+= sigmoidMVE(z + j, a + j, count &- j)
            guard count &- j >= 4 else { break }
            for k in j..<(j &+ 4) { a[k] = TinyMath.sigmoid(z[k]) }
            j &+= 4
        }
        for k in j..<count { a[k] = TinyMath.sigmoid(z[k]) }
        #else
        for j in 0..<count { a[j] = TinyMath.sigmoid(z[j]) }
        #endif
    }

    /// `a[j] = TinyMath.exp(z[j] − m)` (softmax's exponentials).  z, a: `[count]`.
    @inlinable @inline(__always)
    public static func expShifted(z: UnsafePointer<Float>, m: Float, a: UnsafeMutablePointer<Float>, count: Int) {
        #if TINYNN_MVE
        var j = 0
        while true {
            j &+= expShiftedMVE(z + j, m, a + j, count &- j)
            guard count &- j >= 4 else { break }
            for k in j..<(j &+ 4) { a[k] = TinyMath.exp(z[k] - m) }
            j &+= 4
        }
        for k in j..<count { a[k] = TinyMath.exp(z[k] - m) }
        #else
        for j in 0..<count { a[j] = TinyMath.exp(z[j] - m) }
        #endif
    }

    /// ``expShifted(z:m:a:count:)``, returning `Σⱼ a[j]` summed in increasing
    /// `j` (softmax's denominator). Without vector kernels in one loop with
    /// the exponentials (a second loop cost the Cortex-M4F 35 instructions).
    @inlinable @inline(__always)
    public static func expShiftedSum(z: UnsafePointer<Float>, m: Float, a: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        #if TINYNN_MVE
        expShifted(z: z, m: m, a: a, count: count)
        for j in 0..<count { sum += a[j] }
        #else
        for j in 0..<count {
            let e = TinyMath.exp(z[j] - m)
            a[j] = e
            sum += e
        }
        #endif
        return sum
    }

    /// `a[j] = z[j] > 0 ? z[j] : 0` (NaN gives +0).  z, a: `[count]`.
    @inlinable @inline(__always)
    public static func relu(z: UnsafePointer<Float>, a: UnsafeMutablePointer<Float>, count: Int) {
        #if TINYNN_MVE
        reluMVE(z, a, count)
        #else
        for j in 0..<count { a[j] = z[j] > 0 ? z[j] : 0 }
        #endif
    }

    #if TINYNN_MVE
    /// The sigmoid of whole groups of four while every lane is on exp's
    /// normal path; returns how many elements it did (`activation_mve.c`).
    @usableFromInline @_extern(c, "tinynn_sigmoid_mve")
    static func sigmoidMVE(_ z: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ count: Int) -> Int

    /// `exp(z[j] − m)` of whole groups of four while every lane is on the
    /// normal path; returns how many elements it did (`activation_mve.c`).
    @usableFromInline @_extern(c, "tinynn_exp_shifted_mve")
    static func expShiftedMVE(_ z: UnsafePointer<Float>, _ m: Float, _ a: UnsafeMutablePointer<Float>, _ count: Int) -> Int

    /// ReLU of every element, the last group predicated (`activation_mve.c`).
    @usableFromInline @_extern(c, "tinynn_relu_mve")
    static func reluMVE(_ z: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ count: Int)
    #endif
}
