// heldout COUNT FRACTION SEED: prints, one per line in increasing order, the
// 0-based indices of the samples that `tinynn train --validation-split
// FRACTION --seed SEED` holds out of COUNT samples: the first
// ⌊FRACTION·COUNT⌋ (at most COUNT − 1) of a Fisher–Yates shuffle of 0..<COUNT
// by Random(seed: SEED + 2), as Dataset.split(holdingOut:seed:) does.
// Compiled by Scripts/make-vectors together with the core's Random.
@main
enum HeldOut {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let count = Int(arguments[1]), count >= 1,
              let fraction = Double(arguments[2]), (0..<1).contains(fraction),
              let seed = UInt64(arguments[3]) else {
            print("usage: heldout COUNT FRACTION SEED")
            return
        }
        let held = min(Int(fraction * Double(count)), count - 1)
        var order = (0..<Int32(count)).map { $0 }
        var random = Random(seed: seed &+ 2)
        order.withUnsafeMutableBufferPointer { random.shuffle($0.baseAddress!, count: $0.count) }
        for i in order.prefix(held).sorted() { print(i) }
    }
}
