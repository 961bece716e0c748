/// Feature scaling of a network's raw input, `x′ = (x − offset)·scale` per
/// feature: the one kernel the host trainer, the firmware and the C API run,
/// so a model sees the same scaled bits wherever its input comes from.
///
/// The offset and scale are computed on the training data by the host
/// (min-max: `offset = min`, `scale = 1/(max − min)`; standard:
/// `offset = mean`, `scale = 1/σ`) and stored in the model file and in an
/// exported header.
public enum InputScaling {
    /// `out[i] = (x[i] − offset[i])·scale[i]`: one subtraction and one
    /// multiplication, each rounded (not fused), for `i` in `0..<count`.
    /// x, offset, scale, out: `[count]`.
    /// - Parameter out: may alias `x`.
    @inlinable
    public static func apply(
        _ x: UnsafePointer<Float>, offset: UnsafePointer<Float>, scale: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count { out[i] = (x[i] - offset[i]) * scale[i] }
    }
}
