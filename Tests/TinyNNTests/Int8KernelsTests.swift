import Testing
import TinyNN

/// The int8 kernels: hand-computed answers, the dense kernel against a plain
/// reference loop over every tail shape, the folded activations and tables.
@Suite struct Int8KernelsTests {
    static func reference(w: [Int8], b: [Int32], x: [Int8], inCount: Int, outCount: Int) -> [Int32] {
        (0..<outCount).map { j in (0..<inCount).reduce(b[j]) { $0 + Int32(w[j * inCount + $1]) * Int32(x[$1]) } }
    }

    static func randomInt8(_ n: Int, _ r: inout Random) -> [Int8] {
        (0..<n).map { _ in Int8(truncatingIfNeeded: r.next()) }
    }

    @Test func denseKnownAnswer() {
        let w: [Int8] = [1, 2, 3, -4, 5, -6, 127, -128, 0], b: [Int32] = [10, -10, 0], x: [Int8] = [1, -1, 2]
        var z = [Int32](repeating: 99, count: 3)
        Int8Kernels.dense(w: w, b: b, x: x, z: &z, inCount: 3, outCount: 3)
        #expect(z == [15, -31, 255])
    }

    /// In 1…33 and Out 1…17 (every tail of the eight-row, four-input tiling and
    /// of its two- and one-row rest), and the extremes
    /// (−128·−128 for 784 inputs), equal to the reference loop.
    @Test func denseMatchesReference() {
        var r = Random(seed: 11)
        var shapes = 0
        for n in 1...33 {
            for m in 1...17 {
                let w = Self.randomInt8(n * m, &r), x = Self.randomInt8(n, &r)
                let b = (0..<m).map { _ in Int32(bitPattern: r.next()) >> 8 }
                var z = [Int32](repeating: 0, count: m)
                Int8Kernels.dense(w: w, b: b, x: x, z: &z, inCount: n, outCount: m)
                #expect(z == Self.reference(w: w, b: b, x: x, inCount: n, outCount: m), "shape \(n)x\(m)")
                shapes += 1
            }
        }
        #expect(shapes == 561)
        let w = [Int8](repeating: -128, count: 784 * 9), x = [Int8](repeating: -128, count: 784)
        var z = [Int32](repeating: 0, count: 9)
        Int8Kernels.dense(w: w, b: (0..<9).map(Int32.init), x: x, z: &z, inCount: 784, outCount: 9)
        let extreme: Int32 = 784 * 16384
        #expect(z == (0..<9).map { extreme + Int32($0) })
        var zr = [Int32](repeating: 0, count: 9)
        Int8Kernels.denseReference(w: w, b: (0..<9).map(Int32.init), x: x, z: &zr, inCount: 784, outCount: 9)
        #expect(zr == z)
    }

    @Test func requantizeIdentityAndReLU() {
        let z: [Int32] = [-10, 0, 100, 1000, -1000], m = [Int32](repeating: 1 << 30, count: 5)  // ×0.5
        var a = [Int8](repeating: 0, count: 5)
        Int8Kernels.requantize(z, multiplier: m, shift: 0, zeroPoint: -28, lo: -128, into: &a, count: 5)
        #expect(a == [-33, -28, 22, 127, -128])       // −5−28, −28, 50−28, clamp, clamp
        Int8Kernels.requantize(z, multiplier: m, shift: 0, zeroPoint: -28, lo: -28, into: &a, count: 5)
        #expect(a == [-28, -28, 22, 127, -28])        // ReLU: floor at the zero point
    }

    /// The layer-constant loop (shift ≤ −2) and the general one give
    /// `clamp(Requantization.multiply(z, m, shift) + zp)` for every shift.
    @Test func requantizeMatchesMultiplyForEveryShift() {
        var r = Random(seed: 11)
        var checked = 0
        for shift in Int32(-31)...8 {
            let z = (0..<33).map { _ in Int32(bitPattern: r.next()) >> Int32(r.next() % 31) }
            let m = (0..<33).map { _ in Int32(bitPattern: r.next() & 0x7FFF_FFFF) }
            var a = [Int8](repeating: 0, count: 33)
            Int8Kernels.requantize(z, multiplier: m, shift: shift, zeroPoint: -3, lo: -20, into: &a, count: 33)
            for j in 0..<33 {
                let y = Requantization.multiply(z[j], by: m[j], shift: shift) &+ -3
                #expect(a[j] == Int8(min(max(y, -20), 127)), "shift \(shift) j \(j)")
                checked += 1
            }
        }
        #expect(checked == 40 * 33)
    }

    @Test func requantizeLeaky() {
        let z: [Int32] = [-16, 16, -1000, 0], m = [Int32](repeating: 1 << 30, count: 4)
        let negative = [Int32](repeating: 1 << 30, count: 4)   // ×0.5/8 = ×1/16 for z < 0
        var a = [Int8](repeating: 0, count: 4)
        Int8Kernels.requantizeLeaky(z, multiplier: m, shift: 0, negativeMultiplier: negative, negativeShift: -3,
                                    zeroPoint: 5, into: &a, count: 4)
        #expect(a == [4, 13, -57, 5])                 // −1+5, 8+5, −62.5→−62+5 (ties toward +∞), 0+5
    }

    @Test func lookupAndArgmax() {
        let table = (0..<256).map { Int8(truncatingIfNeeded: 255 - $0) }   // table[i] = 255 − i as int8
        var a: [Int8] = [-128, 0, 127, -1]
        Int8Kernels.lookup(&a, table: table, count: 4)
        #expect(a == [-1, 127, 0, -128])              // table[0], table[128], table[255] = 0, table[127] = 128 → −128
        #expect(Int8Kernels.argmax([3, 7, 7, -2], count: 4) == 1)   // the first of equals
        #expect(Int8Kernels.argmax([-128], count: 1) == 0)
    }
}
