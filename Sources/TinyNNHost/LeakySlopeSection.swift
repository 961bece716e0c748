import TinyNN

/// A network's leaky ReLU slopes as the model file's `LEAK` section. It is
/// written only when some layer's slope is not ``Activation/defaultLeakySlope``,
/// so a file without it (every file from before the section) reads with the
/// default slope in every layer, and a network with default slopes keeps the
/// bytes it always had.
enum LeakySlopeSection {
    static let tag = "LEAK"

    /// Payload: u32 layer count L, then L f32 slopes, one per layer (the
    /// default for a layer that is not leaky ReLU). Nil when every slope is
    /// the default.
    static func section(of network: Network) -> ModelFileSection? {
        guard network.hasCustomLeakySlope else { return nil }
        var w = SectionWriter()
        w.u32(UInt32(network.layerCount))
        for s in network.leakySlopes { w.f32(s) }
        return ModelFileSection(tag: tag, payload: w.bytes)
    }

    /// Sets `network`'s slopes from a payload, refusing another layer count,
    /// a slope that is not finite, a slope on a layer that is not leaky ReLU,
    /// and a section that holds only defaults (which is never written).
    static func read(_ payload: [UInt8], into network: Network) throws(SectionProblem) {
        var r = SectionReader(payload)
        let count = Int(try r.u32("the layer count"))
        guard count == network.layerCount else {
            throw SectionProblem("\(count) slopes for \(network.layerCount) layers")
        }
        for l in 0..<count {
            let slope = try r.f32("layer \(l + 1)'s slope")
            do { try network.setLeakySlope(slope, layer: l) } catch { throw SectionProblem("\(error)") }
        }
        try r.finish()
        guard network.hasCustomLeakySlope else {
            throw SectionProblem("every slope is the default \(Activation.defaultLeakySlope) (the section is written only when one is not)")
        }
    }
}
