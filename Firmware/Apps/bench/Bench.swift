// bench: instruction counts on the board, for Scripts/bench-firmware. Run
// under QEMU with -icount shift=0 (Scripts/run-firmware --icount), where
// virtual time advances 1 ns per instruction, so the board's clock
// (board_clock_ticks: SysTick on the Arm boards, minstret on riscv32)
// counts instructions, to one tick (40 on mps2-an386, 62.5 on microbit, 1 on
// riscv32). Each figure times a whole loop once, minus the same loop without
// the work, so the error is at most two ticks over the loop.
//
// Prints integer lines of `NAME runs R ticks T tick_ps P`: the work, done R
// times, took T ticks of P picoseconds (an instruction is 1000 ps).
import TinyNN

@_extern(c, "board_clock_ticks") func board_clock_ticks() -> UInt32
@_extern(c, "board_clock_tick_ps") func board_clock_tick_ps() -> UInt32
@_extern(c, "support_opaque_u32") func support_opaque_u32(_ value: UInt32) -> UInt32
@_extern(c, "vectors_count") func vectors_count() -> Int32
@_extern(c, "vectors_data") func vectors_data() -> UnsafePointer<Float>

func report(_ name: StaticString, runs: Int, ticks: UInt32) {
    Console.write(name)
    Console.write(" runs ")
    Console.writeInt(runs)
    Console.write(" ticks ")
    Console.writeInt(Int(ticks))
    Console.write(" tick_ps ")
    Console.writeInt(Int(board_clock_tick_ps()))
    Console.newline()
}

/// Ticks of `runs` forward passes (input scaling included, as `tinynn
/// predict` does) over the test vectors in turn, minus the same loop with
/// only the scaling.
func timeInference(_ net: BuiltNetwork, runs: Int) -> UInt32 {
    let count = Int(vectors_count()), vectors = vectors_data(), n = BuiltModel.inputCount
    var sink: Float = 0
    let t0 = board_clock_ticks()
    for r in 0..<runs {
        sink += ModelHeader.withScaledInput(vectors + (r % count) * n) { x in net.forward(x)[0] }
    }
    let t1 = board_clock_ticks()
    for r in 0..<runs {
        sink += ModelHeader.withScaledInput(vectors + (r % count) * n) { x in x[0] }
    }
    let t2 = board_clock_ticks()
    // Keep the results alive without printing them.
    if support_opaque_u32(sink.bitPattern) == 1 { Console.write("") }
    return (t1 &- t0) &- (t2 &- t1)
}

/// Ticks of `runs` passes of only the layers' dense kernels (`z = W·a + b`,
/// no activation), the part of an inference the MAC count describes.
func timeDenseKernels(_ net: BuiltNetwork, runs: Int) -> UInt32 {
    let count = Int(vectors_count()), vectors = vectors_data(), n = BuiltModel.inputCount
    let t0 = board_clock_ticks()
    for r in 0..<runs {
        var input = vectors + (r % count) * n
        for l in 0..<net.layerCount {
            let layer = net[l]
            Kernels.denseForward(w: layer.w, b: layer.b, a: input, z: layer.z,
                                 inCount: layer.inCount, outCount: layer.outCount)
            input = UnsafePointer(layer.z)
        }
    }
    let t1 = board_clock_ticks()
    for r in 0..<runs {
        var input = vectors + (r % count) * n
        for l in 0..<net.layerCount { input = UnsafePointer(net[l].z) }
        if support_opaque_u32(UInt32(truncatingIfNeeded: Int(bitPattern: input))) == 1 { Console.write("") }
    }
    let t2 = board_clock_ticks()
    return (t1 &- t0) &- (t2 &- t1)
}

/// Ticks of the clock reading itself (two readings back to back).
func timeNothing() -> UInt32 {
    let t0 = board_clock_ticks()
    let t1 = board_clock_ticks()
    return t1 &- t0
}

#if TINYNN_VFP_DENSE || TINYNN_MVE
/// Kernels.denseForward, the kernel the firmware runs (the assembly one of
/// Support/dense_vfp.c or dense_mve.c; elsewhere it is the Swift kernel itself), against the portable Swift kernel
/// (Kernels.denseForwardRows2), bit for bit, for In 1...33 and Out 1...7,
/// 15...17, 31...34 and 63...67 (the Helium kernel's tiles of two rows,
/// groups of four and chunks of 32, with their remainders) on seeded values
/// (a sixteenth of them ±0, for the signs of zero sums).
/// Prints the first difference and returns false, or one line with the count.
func checkDenseKernel() -> Bool {
    var random = Random(seed: 2024)
    var shapes = 0
    return withPointer(&checkW) { w in withPointer(&checkA) { a in withPointer(&checkB) { b in
        withPointer(&checkZ) { z in withPointer(&checkZRef) { zRef in
            for inCount in 1...33 {
                for r in 0..<denseCheckRows.count {
                    let outCount = denseCheckRows[r]
                    for k in 0..<inCount * outCount { w[k] = checkValue(&random) }
                    for i in 0..<inCount { a[i] = checkValue(&random) }
                    for j in 0..<outCount { b[j] = checkValue(&random) }
                    Kernels.denseForward(w: w, b: b, a: a, z: z, inCount: inCount, outCount: outCount)
                    Kernels.denseForwardRows2(w: w, b: b, a: a, z: zRef, inCount: inCount, outCount: outCount)
                    for j in 0..<outCount where z[j].bitPattern != zRef[j].bitPattern {
                        Console.write("dense_kernel_check: In ")
                        Console.writeInt(inCount)
                        Console.write(" Out ")
                        Console.writeInt(outCount)
                        Console.write(" z[")
                        Console.writeInt(j)
                        Console.write("] ")
                        Console.writeBits(z[j])
                        Console.write(", Swift kernel ")
                        Console.writeBits(zRef[j])
                        Console.newline()
                        return false
                    }
                    shapes += 1
                }
            }
            Console.write("dense_kernel_check shapes ")
            Console.writeInt(shapes)
            Console.write(" equal")
            Console.newline()
            return true
        } }
    } } }
}

#if TINYNN_MVE
/// Kernels.accumulateGradients (the Helium kernel of Support/dense_mve.c)
/// against the Swift kernel (Kernels.accumulateGradientsRows), bit for bit,
/// for In 1...33 and Out 1...7, from the same starting sums. Prints the first
/// difference and returns false, or one line with the count.
func checkGradientKernel() -> Bool {
    var random = Random(seed: 2025)
    var shapes = 0
    return withPointer(&checkW) { gw in withPointer(&checkWRef) { gwRef in withPointer(&checkA) { a in
        withPointer(&checkB) { delta in withPointer(&checkZ) { gb in withPointer(&checkZRef) { gbRef in
            for inCount in 1...33 {
                for outCount in 1...7 {
                    for k in 0..<inCount * outCount { gw[k] = checkValue(&random); gwRef[k] = gw[k] }
                    for i in 0..<inCount { a[i] = checkValue(&random) }
                    for j in 0..<outCount { delta[j] = checkValue(&random); gb[j] = checkValue(&random); gbRef[j] = gb[j] }
                    Kernels.accumulateGradients(delta: delta, a: a, gw: gw, gb: gb, inCount: inCount, outCount: outCount)
                    Kernels.accumulateGradientsRows(delta: delta, a: a, gw: gwRef, gb: gbRef,
                                                    inCount: inCount, outCount: outCount)
                    var differs = -1
                    for j in 0..<outCount where gb[j].bitPattern != gbRef[j].bitPattern { differs = j; break }
                    for k in 0..<inCount * outCount where differs < 0 && gw[k].bitPattern != gwRef[k].bitPattern {
                        differs = outCount + k
                    }
                    if differs >= 0 {
                        Console.write("gradient_kernel_check: In ")
                        Console.writeInt(inCount)
                        Console.write(" Out ")
                        Console.writeInt(outCount)
                        Console.write(differs < outCount ? " gb[" : " gw[")
                        Console.writeInt(differs < outCount ? differs : differs - outCount)
                        Console.write("] differs from the Swift kernel")
                        Console.newline()
                        return false
                    }
                    shapes += 1
                }
            }
            Console.write("gradient_kernel_check shapes ")
            Console.writeInt(shapes)
            Console.write(" equal")
            Console.newline()
            return true
        } } }
    } } }
}

/// Kernels.transposedProduct (the Helium kernel of Support/dense_mve.c)
/// against the Swift kernel (Kernels.transposedProductColumns), bit for bit,
/// for In 1...33 and Out 1...7. Prints the first difference and returns
/// false, or one line with the count.
func checkTransposedKernel() -> Bool {
    var random = Random(seed: 2027)
    var shapes = 0
    return withPointer(&checkW) { (w: UnsafeMutablePointer<Float>) in withPointer(&checkB) { (delta: UnsafeMutablePointer<Float>) in
        withPointer(&checkZ) { (e: UnsafeMutablePointer<Float>) in withPointer(&checkZRef) { (eRef: UnsafeMutablePointer<Float>) in
            for inCount in 1...33 {
                for outCount in 1...7 {
                    for k in 0..<inCount * outCount { w[k] = checkValue(&random) }
                    for j in 0..<outCount { delta[j] = checkValue(&random) }
                    Kernels.transposedProduct(w: w, delta: delta, e: e, inCount: inCount, outCount: outCount)
                    Kernels.transposedProductColumns(w: w, delta: delta, e: eRef, inCount: inCount, outCount: outCount)
                    for i in 0..<inCount where e[i].bitPattern != eRef[i].bitPattern {
                        Console.write("transposed_kernel_check: In ")
                        Console.writeInt(inCount)
                        Console.write(" Out ")
                        Console.writeInt(outCount)
                        Console.write(" e[")
                        Console.writeInt(i)
                        Console.write("] differs from the Swift kernel")
                        Console.newline()
                        return false
                    }
                    shapes += 1
                }
            }
            Console.write("transposed_kernel_check shapes ")
            Console.writeInt(shapes)
            Console.write(" equal")
            Console.newline()
            return true
        } }
    } }
}

/// Optimizer.update's SGD (the Helium kernel of Support/optimizer_mve.c for
/// the groups of four, Swift for the rest) against the Swift rule
/// (Optimizer.Step.applySGD, one parameter at a time), bit for bit, for 1...67
/// parameters, batch sizes 1...3, with and without weight decay. Prints the
/// first difference and returns false, or one line with the count.
func checkSGDKernel() -> Bool {
    var random = Random(seed: 2028)
    var tensors = 0
    return withPointer(&checkW) { (p: UnsafeMutablePointer<Float>) in withPointer(&checkWRef) { (pRef: UnsafeMutablePointer<Float>) in
        withPointer(&checkB) { (sum: UnsafeMutablePointer<Float>) in
            var clock = Optimizer.Clock()
            let optimizer = Optimizer.sgd(learningRate: 0.375, weightDecay: 0.0625)
            clock.tick(optimizer)
            for count in 1...67 {
                for batchSize in 1...3 {
                    for d in 0..<2 {
                        let decays = d == 1
                        for k in 0..<count { p[k] = checkValue(&random); pRef[k] = p[k]; sum[k] = checkValue(&random) }
                        optimizer.update(p, gradientSum: sum, state: nil, count: count, batchSize: batchSize,
                                         decays: decays, clock: clock)
                        let rule = Optimizer.Step(optimizer, batchSize: batchSize, decays: decays, clock: clock)
                        for k in 0..<count { rule.applySGD(pRef, sum[k], at: k) }
                        for k in 0..<count where p[k].bitPattern != pRef[k].bitPattern {
                            Console.write("sgd_kernel_check: count ")
                            Console.writeInt(count)
                            Console.write(" p[")
                            Console.writeInt(k)
                            Console.write("] differs from the Swift rule")
                            Console.newline()
                            return false
                        }
                        tensors += 1
                    }
                }
            }
            Console.write("sgd_kernel_check tensors ")
            Console.writeInt(tensors)
            Console.write(" equal")
            Console.newline()
            return true
        }
    } }
}

/// The vector activations (Kernels.sigmoid, expShifted, relu: the Helium
/// kernels of Support/activation_mve.c and their scalar fallback) against
/// the scalar functions, bit for bit, on 64 rounds of 67 values (groups of
/// four and a tail): half uniform in [−24, 24), half random bit patterns (±0,
/// subnormals, ±∞, NaN, |x| beyond exp's normal path), each round from a
/// different offset so a special lane falls in every group position.
/// Prints the first difference and returns false, or one line with the count.
func checkActivationKernels() -> Bool {
    var random = Random(seed: 2026)
    var values = 0
    return withPointer(&checkB) { (z: UnsafeMutablePointer<Float>) in withPointer(&checkZ) { (a: UnsafeMutablePointer<Float>) in
        withPointer(&checkZRef) { (ref: UnsafeMutablePointer<Float>) in
        let n = 67
        for round in 0..<64 {
            for j in 0..<n {
                let r = random.next()
                z[j] = (r & 1 == 0 || j < round % 8) ? random.uniform() * 48 - 24
                    : Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            }
            let m = z[round % n].isFinite ? z[round % n] : 0
            for kind in 0..<3 {
                switch kind {
                case 0:
                    Kernels.sigmoid(z: z, a: a, count: n)
                    for j in 0..<n { ref[j] = TinyMath.sigmoid(z[j]) }
                case 1:
                    Kernels.expShifted(z: z, m: m, a: a, count: n)
                    for j in 0..<n { ref[j] = TinyMath.exp(z[j] - m) }
                default:
                    Kernels.relu(z: z, a: a, count: n)
                    // The scalar rule; spelt with the NaN case apart because clang
                    // lowers `z > 0 ? z : 0` to vmaxnm (a NaN for a signalling NaN).
                    for j in 0..<n { ref[j] = z[j].isNaN ? 0 : z[j] > 0 ? z[j] : 0 }
                }
                for j in 0..<n where a[j].bitPattern != ref[j].bitPattern {
                    Console.write(kind == 0 ? "activation_check: sigmoid(" : kind == 1 ? "activation_check: exp(" : "activation_check: relu(")
                    Console.writeBits(z[j])
                    Console.write(") ")
                    Console.writeBits(a[j])
                    Console.write(", scalar ")
                    Console.writeBits(ref[j])
                    Console.newline()
                    return false
                }
                values += n
            }
        }
        Console.write("activation_check values ")
        Console.writeInt(values)
        Console.write(" equal")
        Console.newline()
        return true
    } } }
}

nonisolated(unsafe) var checkWRef = InlineArray<231, Float>(repeating: 0)

@_extern(c, "tinynn_mve_vmov_2gp_probe") func mveVmov2gpProbe() -> UInt32
@_extern(c, "tinynn_mve_subnormal_probe") func mveSubnormalProbe() -> UInt32
#endif

func checkValue(_ random: inout Random) -> Float {
    let r = random.next()
    if r & 15 == 0 { return r & 16 == 0 ? 0 : -0.0 }
    return random.uniform() * 2 - 1
}

/// The row counts checkDenseKernel tries with every In of 1...33.
let denseCheckRows: InlineArray<18, Int> = [1, 2, 3, 4, 5, 6, 7, 15, 16, 17, 31, 32, 33, 34, 63, 64, 65, 67]

nonisolated(unsafe) var checkW = InlineArray<2211, Float>(repeating: 0)
nonisolated(unsafe) var checkA = InlineArray<33, Float>(repeating: 0)
nonisolated(unsafe) var checkB = InlineArray<67, Float>(repeating: 0)
nonisolated(unsafe) var checkZ = InlineArray<67, Float>(repeating: 0)
nonisolated(unsafe) var checkZRef = InlineArray<67, Float>(repeating: 0)
#endif

@_extern(c, "support_stack_paint") func supportStackPaint()
@_extern(c, "support_stack_peak") func supportStackPeak() -> UInt32

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    supportStackPaint()
    Console.write("bench: ")
    Console.writeBoardName()
    Console.newline()
    guard ModelHeader.check() else { return 1 }
    #if TINYNN_VFP_DENSE || TINYNN_MVE
    guard checkDenseKernel() else { return 1 }
    #endif
    #if TINYNN_MVE
    guard checkGradientKernel() else { return 1 }
    guard checkTransposedKernel() else { return 1 }
    guard checkActivationKernels() else { return 1 }
    guard checkSGDKernel() else { return 1 }
    // Lane 0 after `vmov q0[2], q0[0], r1, r0` with r1 = 2, r0 = 0: 0 as
    // LLVM encodes the syntax, 2 as QEMU 7.2 executes it.
    Console.write("mve_vmov_2gp_probe lane0 ")
    Console.writeInt(Int(mveVmov2gpProbe()))
    Console.newline()
    // The bits of vadd.f32 q of the smallest subnormal to itself: 2 in IEEE
    // arithmetic (FPSCR.FZ = 0), 0 where the vector unit flushes subnormals.
    Console.write("mve_subnormal_probe bits ")
    Console.writeInt(Int(mveSubnormalProbe()))
    Console.newline()
    #endif
    _ = board_clock_ticks()  // starts SysTick
    report("clock", runs: 1, ticks: timeNothing())

    // Inference: the model header's network, weights in flash.
    var macs = 0
    for l in 1...BuiltModel.layerCount { macs += BuiltModel.width(l - 1) * BuiltModel.width(l) }
    Console.write("inference ")
    Console.write(BuiltModel.shape)
    Console.write(" macs ")
    Console.writeInt(macs)
    Console.newline()
    let inferenceRuns = 64
    let ticks = withBuiltNetwork { net in timeInference(net, runs: inferenceRuns) }
    report("inference", runs: inferenceRuns, ticks: ticks)
    let kernelTicks = withBuiltNetwork { net in timeDenseKernels(net, runs: inferenceRuns) }
    report("dense_kernels", runs: inferenceRuns, ticks: kernelTicks)

    // Training: one epoch of the train app's digits run (SGD), after one
    // epoch to warm up (the same work: the counts hardly depend on the data).
    Console.write("train ")
    Console.write(DigitsRun.shape)
    Console.write(" samples ")
    Console.writeInt(DigitsRun.settings.count)
    Console.write(" batch ")
    Console.writeInt(DigitsRun.settings.batchSize)
    Console.newline()
    let epochTicks = withPointer(&digitsOrder) { order in withPointer(&digitsBatchInputs) { x in
        withPointer(&digitsBatchTargets) { y in
            withNetwork(&digitsLayer1, &digitsLayer2, loss: DigitsRun.settings.loss) { net in
                var state = TrainingState(DigitsRun.settings, network: net, order: order, batchInputs: x,
                                          batchTargets: y)
                _ = state.epoch(net)
                let t0 = board_clock_ticks()
                _ = state.epoch(net)
                let t1 = board_clock_ticks()
                return t1 &- t0
            }
        }
    } }
    report("train_epoch", runs: DigitsRun.settings.count, ticks: epochTicks)

    Console.write("stack peak ")
    Console.writeInt(Int(supportStackPeak()))
    Console.newline()
    Console.write("bench: done")
    Console.newline()
    return 0
}
