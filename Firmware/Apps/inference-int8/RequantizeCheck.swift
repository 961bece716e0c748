import TinyNN

/// The requantization the core selects against the portable Swift loop, the
/// definition; the first difference prints one line and fails the run. Three
/// kinds of cases, each for the zero points −128, −3 and 100 and the floors
/// −128 and the zero point (identity, ReLU):
/// - random: every shift −31…8, 1…37 outputs, sums of every width and
///   multipliers of 31 bits (most results clamp);
/// - in range: sums of 8…31 bits (both 16-bit halves in use) with
///   multipliers in [2³⁰, 2³¹) and the shift that puts the result near
///   ±128, as calibrated layers have them;
/// - ties: `z·m = odd·2^(T−1)` exactly (`m = 3·2^p`, `z = ±odd·2^q`,
///   `p + q = T − 1`, `T = 31 − shift`), the one place the rounding rule
///   decides, with the neighbours `z ± 1`.
/// The tie cases must also tell the rule from its off-by-one (`half − 1`):
/// if none of them differ under it, the check could not see a rounding
/// error and fails.
func requantizeAgrees() -> Bool {
    var z = InlineArray<37, Int32>(repeating: 0), m = InlineArray<37, Int32>(repeating: 0)
    var random = Random(seed: 17)
    var cases = 0, ties = 0, offByOneSeen = 0

    /// Compares the selected loop with the portable one on `count` outputs.
    func compare(_ count: Int, _ shift: Int32, _ zeroPoint: Int32, _ lo: Int32) -> Bool {
        var a1 = InlineArray<37, Int8>(repeating: 0), a2 = InlineArray<37, Int8>(repeating: 0)
        return withUnsafeMutablePointer(to: &z) { zp in withUnsafeMutablePointer(to: &m) { mp in
            withUnsafeMutablePointer(to: &a1) { a1p in withUnsafeMutablePointer(to: &a2) { a2p in
                let z = UnsafeRawPointer(zp).assumingMemoryBound(to: Int32.self)
                let m = UnsafeRawPointer(mp).assumingMemoryBound(to: Int32.self)
                let a1 = UnsafeMutableRawPointer(a1p).assumingMemoryBound(to: Int8.self)
                let a2 = UnsafeMutableRawPointer(a2p).assumingMemoryBound(to: Int8.self)
                Int8Kernels.requantize(z, multiplier: m, shift: shift, zeroPoint: zeroPoint, lo: lo, into: a1, count: count)
                Int8Kernels.requantizePortable(z, multiplier: m, shift: shift, zeroPoint: zeroPoint, lo: lo,
                                               into: a2, count: count)
                for j in 0..<count where a1[j] != a2[j] { return false }
                return true
            } }
        } }
    }

    /// The zero point of variant `pick` (0…2) and the floor, identity and
    /// ReLU in turn from case to case.
    func variant(_ pick: Int) -> (zeroPoint: Int32, lo: Int32) {
        let zeroPoint: Int32 = pick == 0 ? -128 : pick == 1 ? -3 : 100
        return (zeroPoint, cases % 2 == 0 ? -128 : zeroPoint)
    }

    func fail(_ kind: StaticString, _ shift: Int32, _ zeroPoint: Int32) -> Bool {
        Console.write("inference-int8: the requantization differs from the Swift one (")
        Console.write(kind)
        Console.write(") for shift ")
        Console.writeInt(Int(shift))
        Console.write(", zero point ")
        Console.writeInt(Int(zeroPoint))
        Console.newline()
        return false
    }

    for shift in Int32(-31)...8 {
        for pick in 0..<3 {
            let (zeroPoint, lo) = variant(pick)
            let count = 1 + Int(random.next() % 37)
            for k in 0..<count {
                z[k] = Int32(bitPattern: random.next()) &>> Int32(random.next() % 32)
                m[k] = Int32(bitPattern: random.next() & 0x7FFF_FFFF)
            }
            guard compare(count, shift, zeroPoint, lo) else { return fail("random", shift, zeroPoint) }
            cases += 1
        }
    }
    for bits in Int32(8)...31 {
        for pick in 0..<3 {
            let (zeroPoint, lo) = variant(pick)
            let shift = 8 &- bits &- Int32(random.next() % 2)
            for k in 0..<37 {
                z[k] = Int32(bitPattern: random.next()) &>> (32 &- bits)
                m[k] = Int32(bitPattern: (random.next() & 0x3FFF_FFFF) | 0x4000_0000)
            }
            guard compare(37, shift, zeroPoint, lo) else { return fail("in range", shift, zeroPoint) }
            cases += 1
        }
    }
    for shift in Int32(-31)...(-2) {
        let t = 31 &- shift, k = -1 &- shift, half = Int32(1) &<< (k &- 1)
        let powers: InlineArray<6, Int32> = [0, 7, 15, 16, 23, 29]
        let odds: InlineArray<12, Int32> = [1, -1, 5, -5, 41, -41, 83, -83, 127, -127, 11, -11]
        for pi in 0..<powers.count {
            let p = powers[pi]
            let q = t &- 1 &- p
            guard q >= 0 && q <= 23 else { continue }
            var count = 0
            for oi in 0..<odds.count {
                let tie = odds[oi] &<< q
                for d in Int32(-1)...1 where count < 36 {
                    z[count] = tie &+ d
                    m[count] = Int32(3) &<< p
                    if d == 0 {
                        let right = Requantization.multiply(z[count], by: m[count], half: half, k: k)
                        let off = Requantization.multiply(z[count], by: m[count], half: half &- 1, k: k)
                        if right != off { offByOneSeen += 1 }
                        ties += 1
                    }
                    count += 1
                }
            }
            for pick in 0..<3 {
                let (zeroPoint, lo) = variant(pick)
                guard compare(count, shift, zeroPoint, lo) else { return fail("ties", shift, zeroPoint) }
                cases += 1
            }
        }
    }
    guard offByOneSeen > 0 else {
        Console.write("inference-int8: no tie case tells the rounding from its off-by-one")
        Console.newline()
        return false
    }
    Console.write("requantize check: ")
    Console.writeInt(cases)
    Console.write(" cases (")
    Console.writeInt(ties)
    Console.write(" exact ties, ")
    Console.writeInt(offByOneSeen)
    Console.write(" of them changed by an off-by-one rounding) equal to the Swift loop")
    Console.newline()
    return true
}
