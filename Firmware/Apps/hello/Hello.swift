// hello: the smoke test of a board. Prints a banner, computes fused
// multiply-adds (scalar and SIMD8), square roots and a few plain float
// operations on fixed inputs, prints their bit patterns, and checks them
// against the IEEE 754 results (computed on the host with glibc's fmaf and
// sqrtf). PASS and exit 0 when every bit matches.
//
// The fused results differ from `c + a * b` in every lane that has a
// non-zero rounding error, so a target that silently unfused would fail.
import TinyNN

@_extern(c, "support_opaque_u32")
func opaque(_ value: UInt32) -> UInt32

/// A float from its bits, through `opaque` so that the target computes with
/// it rather than the compiler's constant folder.
func input(_ bits: UInt32) -> Float {
    Float(bitPattern: opaque(bits))
}

/// Prints `name` and the first `count` lanes' bits; reports lanes that
/// differ from `expected`. Returns the number of mismatches.
func report(_ name: StaticString, _ got: SIMD8<Float>, _ expected: SIMD8<UInt32>, count: Int) -> Int {
    Console.write(name)
    for lane in 0..<count {
        Console.write(" ")
        Console.writeBits(got[lane])
    }
    Console.newline()
    var mismatches = 0
    for lane in 0..<count where got[lane].bitPattern != expected[lane] {
        Console.write("  FAIL lane ")
        Console.writeInt(lane)
        Console.write(": got ")
        Console.writeBits(got[lane])
        Console.write(", want ")
        Console.writeHex(expected[lane])
        Console.newline()
        mismatches += 1
    }
    return mismatches
}

func runChecks() -> Int {
    var failures = 0

    // Scalar Float.addingProduct: cancellation (2^-24, 2^-23, where c + a * b
    // gives 0), a subnormal result, a product beyond Float.greatestFiniteMagnitude
    // that c brings back (unfused: inf), and -0 * 1 + -0 = -0.
    var scalar = SIMD8<Float>()
    scalar[0] = input(0xBF80_1000).addingProduct(input(0x3F80_0800), input(0x3F80_0800))
    scalar[1] = input(0xC080_0000).addingProduct(input(0x3FAA_AAAB), input(0x4040_0000))
    scalar[2] = input(0x8000_0005).addingProduct(input(0x1E00_0001), input(0x2100_0003))
    scalar[3] = input(0xFF7F_FFFF).addingProduct(input(0x7F00_0000), input(0x4000_0000))
    scalar[4] = input(0x8000_0000).addingProduct(input(0x8000_0000), input(0x3F80_0000))
    failures += report(
        "fma  ", scalar, SIMD8<UInt32>(0x3380_0000, 0x3400_0000, 0x001F_FFFC, 0x7380_0000, 0x8000_0000, 0, 0, 0),
        count: 5)

    // SIMD8<Float>.addProduct, one lane per case: 0.1 * 10 - 1, -pi * (1/pi) + 1,
    // sqrt(0.5)^2 - 0.5, a result just under half the smallest subnormal
    // (rounds to 0), 2^-23-scale cancellation of large numbers, 1/6 * -6 + 1,
    // a subnormal sum, and an ordinary product with a rounding difference.
    let a = SIMD8<Float>(
        input(0x3DCC_CCCD), input(0xC049_0FDB), input(0x3F35_04F3), input(0x0080_0001),
        input(0x4B80_0001), input(0x3E2A_AAAB), input(0x0DA2_4260), input(0x42F6_E979))
    let b = SIMD8<Float>(
        input(0x4120_0000), input(0x3EA2_F983), input(0x3F35_04F3), input(0x3F7F_FFFF),
        input(0x4B80_0001), input(0xC0C0_0000), input(0x317B_E3A2), input(0x3C23_D70A))
    var accumulator = SIMD8<Float>(
        input(0xBF80_0000), input(0x3F80_0000), input(0xBF00_0000), input(0x8080_0000),
        input(0xD780_0002), input(0x3F80_0000), input(0x0000_0007), input(0xBF9D_F3B6))
    accumulator.addProduct(a, b)
    failures += report(
        "simd8", accumulator,
        SIMD8<UInt32>(0x3280_0000, 0x3256_FF78, 0xB293_02AE, 0x0000_0000,
         0x4080_0000, 0xB300_0000, 0x0027_E9DE, 0x3A12_CE26),
        count: 8)

    // squareRoot: sqrt 2, a subnormal, the largest float, 1 + ulp (just below
    // a tie, rounds to 1), 1 - ulp/2, the smallest normal.
    var roots = SIMD8<Float>()
    roots[0] = input(0x4000_0000).squareRoot()
    roots[1] = input(0x0000_0003).squareRoot()
    roots[2] = input(0x7F7F_FFFF).squareRoot()
    roots[3] = input(0x3F80_0001).squareRoot()
    roots[4] = input(0x3F7F_FFFF).squareRoot()
    roots[5] = input(0x0080_0000).squareRoot()
    failures += report(
        "sqrt ", roots,
        SIMD8<UInt32>(0x3FB5_04F3, 0x1A9C_C471, 0x5F7F_FFFF, 0x3F80_0000, 0x3F7F_FFFF, 0x2000_0000, 0, 0),
        count: 6)

    // Plain operations (on a soft-float board, Support/softfloat.c):
    // 4/3 * 3, 4/3 / 3, 4/3 + -123.456, -123.456 - 3, Float(-1234567891),
    // Float(Int(-123.456 * 4/3)), floor(-123.456), 2.5 rounded to even.
    let x = input(0x3FAA_AAAB), y = input(0x4040_0000), z = input(0xC2F6_E979)
    var plain = SIMD8<Float>()
    plain[0] = x * y
    plain[1] = x / y
    plain[2] = x + z
    plain[3] = z - y
    plain[4] = Float(Int(Int32(bitPattern: opaque(UInt32(bitPattern: -1_234_567_891)))))
    plain[5] = Float(Int(z * x))
    plain[6] = z.rounded(.down)
    plain[7] = input(0x4020_0000).rounded(.toNearestOrEven)
    failures += report(
        "ops  ", plain,
        SIMD8<UInt32>(0x4080_0000, 0x3EE3_8E39, 0xC2F4_3ECE, 0xC2FC_E979,
         0xCE93_2C06, 0xC324_0000, 0xC2F8_0000, 0x4000_0000),
        count: 8)

    return failures
}

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    Console.write("hello: TinyNN firmware on ")
    Console.writeBoardName()
    Console.newline()
    let failures = runChecks()
    if failures != 0 {
        Console.write("FAIL (")
        Console.writeInt(failures)
        Console.write(" mismatches)")
        Console.newline()
        return 1
    }
    Console.write("PASS")
    Console.newline()
    return 0
}
