// floatcheck: many float operations on pseudo-random operands, folded into
// one hash per operation. Every target must print the same hashes: the
// hardware FMA and FPU on mps2-an386, riscv32 and the host, and
// Support/softfloat.c on microbit. The expected hashes are the host's
// (Scripts/run-firmware host floatcheck).
//
// Operands cover every binade, subnormals included, and products whose
// addend cancels most of their bits; NaN results hash as one value because
// CPUs disagree on NaN payloads (Arm 0x7fc00000, x86 0xffc00000).
import TinyNN

@_extern(c, "support_opaque_u32")
func opaque(_ value: UInt32) -> UInt32

/// xorshift32: fixed seed, same sequence on every target.
struct Xorshift32 {
    var state: UInt32
    mutating func next() -> UInt32 {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return state
    }

    /// A float with a random sign, exponent in every binade (1 in 8 near the
    /// subnormal range, 1 in 8 near overflow) and random fraction; no NaN.
    mutating func float() -> Float {
        let r = next()
        var exponent: UInt32
        switch r & 7 {
        case 0: exponent = (r >> 3) % 24                  // subnormal or tiny
        case 1: exponent = 230 + (r >> 3) % 25            // huge
        default: exponent = 97 + (r >> 3) % 61            // |x| in [2^-30, 2^30]
        }
        return Float(bitPattern: (next() & 0x807F_FFFF) | (exponent << 23))
    }
}

/// FNV-1a over the result bits, with one value for every NaN.
struct Hash {
    var value: UInt32 = 0x811C_9DC5
    mutating func add(_ x: Float) {
        value = (value ^ (x.isNaN ? 0x7FC0_0000 : x.bitPattern)) &* 0x0100_0193
    }
}

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    Console.write("floatcheck: ")
    Console.writeBoardName()
    Console.newline()
    let count = Int(opaque(20_000))
    var random = Xorshift32(state: opaque(0x1234_5678))
    var fma = Hash(), cancel = Hash(), simd = Hash(), add = Hash(), mul = Hash(), div = Hash(), sqrt = Hash()
    for _ in 0..<count {
        let a = random.float(), b = random.float(), c = random.float()
        fma.add(c.addingProduct(a, b))
        // c close to -(a * b): the fused result is the product's rounding error.
        let near = Float(bitPattern: (-(a * b)).bitPattern &+ (random.next() & 3))
        cancel.add(near.addingProduct(a, b))
        add.add(a + c)
        mul.add(a * b)
        div.add(a / b)
        sqrt.add(a.magnitude.squareRoot())
    }
    for _ in 0..<(count / 8) {
        var acc = SIMD8<Float>(), x = SIMD8<Float>(), y = SIMD8<Float>()
        for lane in 0..<8 {
            x[lane] = random.float()
            y[lane] = random.float()
            acc[lane] = random.float()
        }
        acc.addProduct(x, y)
        for lane in 0..<8 { simd.add(acc[lane]) }
    }
    var failures = 0
    func check(_ name: StaticString, _ hash: Hash, _ expected: UInt32) {
        Console.write(name)
        Console.writeHex(hash.value)
        if hash.value != expected {
            Console.write("  FAIL want ")
            Console.writeHex(expected)
            failures += 1
        }
        Console.newline()
    }
    check("fma    ", fma, 0x791C_67AF)
    check("cancel ", cancel, 0xCEA8_AA76)
    check("simd8  ", simd, 0xD78A_98FE)
    check("add    ", add, 0x218B_8ADA)
    check("mul    ", mul, 0xDE41_D693)
    check("div    ", div, 0x8631_0322)
    check("sqrt   ", sqrt, 0x9545_9A9A)
    Console.write(failures == 0 ? "PASS" : "FAIL")
    Console.newline()
    return failures == 0 ? 0 : 1
}
