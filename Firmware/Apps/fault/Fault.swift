// fault: proves the board's fault handler. A Swift runtime check fails
// (Int32 overflow), which traps exactly as a failed precondition or an
// out-of-bounds index in the core would; the handler must print one
// "FAULT: ..." line and end the run with a non-zero exit code (3).
import TinyNN

@_extern(c, "support_opaque_u32")
func opaque(_ value: UInt32) -> UInt32

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    Console.write("fault: overflowing Int32.max + 1, expect a FAULT line")
    Console.newline()
    let big = Int32(bitPattern: opaque(0x7FFF_FFFF))
    let sum = big + 1
    Console.write("unreachable: no trap, sum = ")
    Console.writeInt(Int(sum))
    Console.newline()
    return 0
}
