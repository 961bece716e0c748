// inference: runs a model exported by `tinynn export` on test vectors, the
// weights read in place from the header's arrays in flash (FlashDense), and
// prints every output's bits in BitDump's lines (Sources/TinyNNHost/BitDump.swift):
// `model crc 0x...` and `vectors N crc 0x...` (the checksums its headers carry),
// then `y INDEX 0xBITS...` per vector, what `tinynn vectors --expected` and
// `tinynn predict --bits` print, so `tinynn verify` compares text. Refuses (exit 1) a model
// header of another shape than the one compiled in (BuiltModel.swift,
// generated for the model by the build, InferenceSources).
import TinyNN

@_extern(c, "vectors_count") func vectors_count() -> Int32
@_extern(c, "vectors_data") func vectors_data() -> UnsafePointer<Float>
@_extern(c, "vectors_crc") func vectors_crc() -> UInt32

@_extern(c, "support_stack_paint") func supportStackPaint()
@_extern(c, "support_stack_peak") func supportStackPeak() -> UInt32

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    supportStackPaint()
    Console.write("inference: ")
    Console.writeBoardName()
    Console.newline()
    guard ModelHeader.check() else { return 1 }
    // The vectors' width was checked when they were compiled in (vectors_glue.c).
    let count = Int(vectors_count()), features = BuiltModel.inputCount
    Console.write("model crc ")
    Console.writeHex(ModelHeader.crc)
    Console.newline()
    Console.write("vectors ")
    Console.writeInt(count)
    Console.write(" crc ")
    Console.writeHex(vectors_crc())
    Console.newline()

    let vectors = vectors_data()
    withBuiltNetwork { net in
        for v in 0..<count {
            let y = ModelHeader.withScaledInput(vectors + v * features) { x in net.forward(x) }
            Console.write("y ")
            Console.writeInt(v)
            for k in 0..<net.outputCount {
                Console.write(" ")
                Console.writeBits(y[k])
            }
            Console.newline()
        }
    }
    Console.write("stack peak ")
    Console.writeInt(Int(supportStackPeak()))
    Console.newline()
    Console.write("inference: done")
    Console.newline()
    return 0
}
