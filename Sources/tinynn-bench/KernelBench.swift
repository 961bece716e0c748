import Foundation
import TinyNN

/// Times each kernel alone on one layer shape, in flops per cycle at the
/// nominal clock (`tinynn-bench kernels IN OUT BATCH`).
func benchKernels(inCount n: Int, outCount m: Int, batch: Int, budget: Budget, clockGHz: Double) {
    var r = Random(seed: 3)
    func floats(_ k: Int) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: k)
        for i in 0..<k { p[i] = r.uniform() - 0.5 }
        return p
    }
    let w = floats(n * m), b = floats(m), a = floats(batch * n), z = floats(batch * m)
    let delta = floats(batch * m), e = floats(batch * n), gw = floats(n * m), gb = floats(m)
    let macs = Double(n * m * batch)
    func report(_ name: String, _ rate: Rate) {
        let flops = rate.best * macs * 2
        print("\(pad(name, 34)) \(lpad(f(1e6 / rate.best, 2), 9)) µs/batch \(lpad(f(flops / 1e9, 1), 7)) GFLOP/s"
              + " \(lpad(f(flops / 1e9 / clockGHz, 1), 6)) flop/cycle")
    }
    print("kernels on [\(n)→\(m)], batch \(batch) (\(Int(macs)) MACs per call; flop/cycle at \(f(clockGHz, 2)) GHz, peak 32)")
    report("denseForward ×B", measure(budget) {
        for s in 0..<batch {
            Kernels.denseForward(w: w, b: b, a: a + s * n, z: z + s * m, inCount: n, outCount: m)
        }
        return 1
    })
    report("denseForwardBatch", measure(budget) {
        Kernels.denseForwardBatch(w: w, b: b, a: a, z: z, inCount: n, outCount: m, batchCount: batch)
        return 1
    })
    let pool = 1000
    let cold = floats(pool * batch * n)
    var next = 0
    report("denseForwardBatch, inputs from DRAM", measure(budget) {
        Kernels.denseForwardBatch(w: w, b: b, a: cold + next * batch * n, z: z, inCount: n, outCount: m, batchCount: batch)
        next = (next + 1) % pool
        return 1
    })
    for (label, ahead) in [("forward hot + forward DRAM", false), ("… DRAM prefetched during the hot one", true)] {
        report(label, measure(budget) {
            let x = cold + next * batch * n
            if ahead { Kernels.prefetch(x, count: batch * n) }
            Kernels.denseForwardBatch(w: w, b: b, a: a, z: z, inCount: n, outCount: m, batchCount: batch)
            Kernels.denseForwardBatch(w: w, b: b, a: x, z: z, inCount: n, outCount: m, batchCount: batch)
            next = (next + 1) % pool
            return 1
        })
    }
    do {
        var o = Optimizer.sgd(learningRate: 1e-9); var clock = Optimizer.Clock(); clock.tick(o)
        let ws = Optimizer.Step(o, batchSize: batch, decays: true, clock: clock)
        let bs = Optimizer.Step(o, batchSize: batch, decays: false, clock: clock)
        o.learningRate = 1e-9
        for (label, hot, ahead) in [("hot inputs", true, false), ("DRAM", false, false), ("DRAM, prefetched", false, true)] {
            report("SGD step + forward, \(label)", measure(budget) {
                let x = hot ? a : cold + next * batch * n
                let following = cold + ((next + 1) % pool) * batch * n
                Kernels.denseGradientStep(delta: delta, a: a, w: w, b: b, stateW: nil, stateB: nil,
                                          inCount: n, outCount: m, batchCount: batch, weightStep: ws, biasStep: bs,
                                          prefetching: ahead ? following : nil, aheadCount: batch * n)
                Kernels.denseForwardBatch(w: w, b: b, a: x, z: z, inCount: n, outCount: m, batchCount: batch)
                next = (next + 1) % pool
                return 1
            })
        }
    }
    do {
        let count = batch * m, zs = floats(count), out = floats(count)
        for k in 0..<count { zs[k] = 8 * zs[k] }
        let rate = measure(budget) {
            Kernels.activateBatch(.sigmoid, z: zs, a: out, width: m, batchCount: batch,
                                  leakySlope: Activation.defaultLeakySlope)
            return 1
        }
        print("\(pad("activateBatch sigmoid (\(count) values)", 34)) \(lpad(f(1e6 / rate.best, 3), 9)) µs/batch"
              + " \(lpad(f(1e9 / rate.best / Double(count) * clockGHz, 1), 6)) cycles/value")
    }
    report("transposedProduct ×B", measure(budget) {
        for s in 0..<batch {
            Kernels.transposedProduct(w: w, delta: delta + s * m, e: e + s * n, inCount: n, outCount: m)
        }
        return 1
    })
    report("transposedProductBatch", measure(budget) {
        Kernels.transposedProductBatch(w: w, delta: delta, e: e, inCount: n, outCount: m, batchCount: batch)
        return 1
    })
    report("accumulateGradients ×B", measure(budget) {
        for s in 0..<batch {
            Kernels.accumulateGradients(delta: delta + s * m, a: a + s * n, gw: gw, gb: gb, inCount: n, outCount: m)
        }
        return 1
    })
    report("accumulateGradientsBatch", measure(budget) {
        Kernels.accumulateGradientsBatch(delta: delta, a: a, gw: gw, gb: gb, inCount: n, outCount: m, batchCount: batch)
        return 1
    })
    for (name, o) in [("SGD", Optimizer.sgd(learningRate: 1e-9)), ("Adam", Optimizer.adam(learningRate: 1e-9))] {
        let state = floats(2 * n * m), stateB = floats(2 * m)
        for i in 0..<(2 * n * m) { state[i] = abs(state[i]) }
        for i in 0..<(2 * m) { stateB[i] = abs(stateB[i]) }
        var clock = Optimizer.Clock(); clock.tick(o)
        let ws = Optimizer.Step(o, batchSize: batch, decays: true, clock: clock)
        let bs = Optimizer.Step(o, batchSize: batch, decays: false, clock: clock)
        report("denseGradientStep \(name)", measure(budget) {
            Kernels.denseGradientStep(delta: delta, a: a, w: w, b: b, stateW: state, stateB: stateB,
                                      inCount: n, outCount: m, batchCount: batch, weightStep: ws, biasStep: bs)
            return 1
        })
        report("Optimizer.update \(name) (w only)", measure(budget) {
            o.update(w, gradientSum: gw, state: state, count: n * m, batchSize: batch, decays: true, clock: clock)
            return 1
        })
    }
}
