/// Reading a class off a network's output: the one rule every face of
/// TinyNN uses (the host's evaluation and `predict`, the C API, the
/// firmware, the int8 engine).
extension Kernels {
    /// The index of the largest of `x[0..<count]`, the first of equals
    /// (`0` for `count ≤ 1`). A NaN never wins a comparison, so it is
    /// chosen only in place 0.
    @inlinable
    public static func argmax<T: Comparable>(_ x: UnsafePointer<T>, count: Int) -> Int {
        var best = 0
        var j = 1
        while j < count {
            if x[j] > x[best] { best = j }
            j &+= 1
        }
        return best
    }

    /// The class a network output `y: [count]` names: ``argmax(_:count:)``,
    /// or for one output whether it exceeds ½.
    @inlinable
    public static func predictedClass(_ y: UnsafePointer<Float>, count: Int) -> Int {
        count == 1 ? (y[0] > 0.5 ? 1 : 0) : argmax(y, count: count)
    }
}
