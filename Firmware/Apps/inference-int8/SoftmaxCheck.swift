import TinyNN

/// The softmax the core selects against the portable Swift loop, the
/// definition; the first difference prints one line and fails the run. For
/// every count 1…40 (so the 16-logit max and the 4-lane loops end at every
/// remainder), three kinds of logits — uniform over −128…127, a narrow band,
/// one dominant logit with the rest at −128 (`E·R` within 2¹⁶ of 2³²) — and
/// β at 1, 2²³ and log-uniform in between. The cases must also tell the last
/// rounding from truncation (`⌊E·R/2²⁴⌋`): if none of them differ under it,
/// the check could not see a rounding error and fails.
func softmaxAgrees() -> Bool {
    var q = InlineArray<40, Int8>(repeating: 0)
    var random = Random(seed: 23)
    var cases = 0, truncationSeen = 0
    for count in 1...40 {
        for kind in 0..<3 {
            for pick in 0..<3 {
                let beta: Int32 = pick == 0 ? 1 : pick == 1 ? 1 << 23
                    : Int32(1 + random.next() % (1 << 23)) &>> Int32(random.next() % 23)
                let dominant = Int(random.next() % UInt32(count))
                for j in 0..<count {
                    let u = random.next()
                    q[j] = kind == 0 ? Int8(truncatingIfNeeded: u)
                        : kind == 1 ? Int8(truncatingIfNeeded: 40 &+ Int32(u % 9))
                        : j == dominant ? 127 : -128
                }
                var p1 = InlineArray<40, Int8>(repeating: 0), p2 = InlineArray<40, Int8>(repeating: 0)
                var e1 = InlineArray<40, Int32>(repeating: 0), e2 = InlineArray<40, Int32>(repeating: 0)
                let equal = withUnsafeMutablePointer(to: &q) { qp in
                    withUnsafeMutablePointer(to: &p1) { p1p in withUnsafeMutablePointer(to: &p2) { p2p in
                        withUnsafeMutablePointer(to: &e1) { e1p in withUnsafeMutablePointer(to: &e2) { e2p in
                            let q = UnsafeRawPointer(qp).assumingMemoryBound(to: Int8.self)
                            let p1 = UnsafeMutableRawPointer(p1p).assumingMemoryBound(to: Int8.self)
                            let p2 = UnsafeMutableRawPointer(p2p).assumingMemoryBound(to: Int8.self)
                            let e1 = UnsafeMutableRawPointer(e1p).assumingMemoryBound(to: Int32.self)
                            let e2 = UnsafeMutableRawPointer(e2p).assumingMemoryBound(to: Int32.self)
                            Int8Softmax.probabilities(q, count: count, beta: beta, into: p1, scratch: e1)
                            Int8Softmax.probabilitiesPortable(q, count: count, beta: beta, into: p2, scratch: e2)
                            var sum: UInt32 = 0
                            for j in 0..<count { sum &+= UInt32(truncatingIfNeeded: e2[j]) }
                            let r = UInt32.max / sum
                            for j in 0..<count {
                                let truncated = min((UInt32(truncatingIfNeeded: e2[j]) &* r) &>> 24, 255)
                                if Int32(truncated) &- 128 != Int32(p2[j]) { truncationSeen += 1; break }
                            }
                            for j in 0..<count where p1[j] != p2[j] { return false }
                            return true
                        } }
                    } }
                }
                guard equal else {
                    Console.write("inference-int8: the softmax differs from the Swift one for count ")
                    Console.writeInt(count)
                    Console.write(", beta ")
                    Console.writeInt(Int(beta))
                    Console.newline()
                    return false
                }
                cases += 1
            }
        }
    }
    guard truncationSeen > 0 else {
        Console.write("inference-int8: no softmax case tells the rounding from truncation")
        Console.newline()
        return false
    }
    Console.write("softmax check: ")
    Console.writeInt(cases)
    Console.write(" cases (")
    Console.writeInt(truncationSeen)
    Console.write(" of them changed by truncating the last rounding) equal to the Swift loop")
    Console.newline()
    return true
}
