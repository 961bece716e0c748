import TinyNN

/// The requantization the core selects against the portable Swift loop, for
/// every shift −31…8, the zero points −128, −3 and 100, the floors −128 and
/// the zero point (identity, ReLU), 1…37 outputs, on seeded random sums
/// (whole words and small ones) and multipliers: the first difference prints
/// one line and fails the run. Where the core selects the Swift loop, it is
/// compared with itself.
func requantizeAgrees() -> Bool {
    var z = InlineArray<37, Int32>(repeating: 0), m = InlineArray<37, Int32>(repeating: 0)
    var a1 = InlineArray<37, Int8>(repeating: 0), a2 = InlineArray<37, Int8>(repeating: 0)
    var random = Random(seed: 17)
    var cases = 0
    for shift in Int32(-31)...8 {
        for pick in 0..<3 {
            let zeroPoint: Int32 = pick == 0 ? -128 : pick == 1 ? -3 : 100
            let count = 1 + Int(random.next() % 37)
            for k in 0..<count {
                z[k] = Int32(bitPattern: random.next()) &>> Int32(random.next() % 32)
                m[k] = Int32(bitPattern: random.next() & 0x7FFF_FFFF)
            }
            let lo = cases % 2 == 0 ? Int32(-128) : zeroPoint
            let equal = withUnsafeMutablePointer(to: &z) { zp in withUnsafeMutablePointer(to: &m) { mp in
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
            guard equal else {
                Console.write("inference-int8: the requantization differs from the Swift one for shift ")
                Console.writeInt(Int(shift))
                Console.write(", zero point ")
                Console.writeInt(Int(zeroPoint))
                Console.newline()
                return false
            }
            cases += 1
        }
    }
    Console.write("requantize check: ")
    Console.writeInt(cases)
    Console.write(" cases equal to the Swift loop")
    Console.newline()
    return true
}
