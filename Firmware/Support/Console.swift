// The firmware apps' console: text out, exit code back to QEMU.
// Compiled into every app module; backed by Firmware/Support/console.c
// (semihosting on the boards, stdio on the host build).
//
// Embedded Swift has no float formatting without allocation, so floats are
// written as their bit pattern in hex, which is also what a bit-exact
// comparison between targets wants.

@_extern(c, "support_console_write")
private func supportConsoleWrite(_ bytes: UnsafePointer<UInt8>?, _ count: Int)

@_extern(c, "support_console_putc")
private func supportConsolePutc(_ character: Int32)

// Does not return; C's noreturn has no spelling Swift's C interop accepts.
@_extern(c, "support_exit")
private func supportExit(_ code: Int32)

@_extern(c, "support_board")
private func supportBoard() -> UnsafePointer<UInt8>

/// Line-buffered output to the host and the run's exit code.
public enum Console {
    /// Writes a string literal.
    public static func write(_ text: StaticString) {
        text.withUTF8Buffer { supportConsoleWrite($0.baseAddress, $0.count) }
    }

    /// Writes `value` as `0x` and eight lowercase hex digits.
    public static func writeHex(_ value: UInt32) {
        supportConsolePutc(0x30)  // "0"
        supportConsolePutc(0x78)  // "x"
        var shift: UInt32 = 28
        while true {
            let digit = Int32(truncatingIfNeeded: (value >> shift) & 0xF)
            supportConsolePutc(digit < 10 ? 0x30 + digit : 0x57 + digit)
            if shift == 0 { break }
            shift -= 4
        }
    }

    /// Writes a float's bit pattern in hex (see `writeHex`).
    public static func writeBits(_ value: Float) {
        writeHex(value.bitPattern)
    }

    /// Writes `value` in decimal.
    public static func writeInt(_ value: Int) {
        if value < 0 { supportConsolePutc(0x2D) }  // "-"
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor &*= 10 }
        while divisor > 0 {
            supportConsolePutc(0x30 + Int32(truncatingIfNeeded: magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// Ends the line (and sends it to the host).
    public static func newline() {
        supportConsolePutc(0x0A)
    }

    /// Writes the board's name as its startup code spells it.
    public static func writeBoardName() {
        var p = supportBoard()
        while p.pointee != 0 {
            supportConsolePutc(Int32(p.pointee))
            p += 1
        }
    }

    /// Flushes the output and ends the run; QEMU exits with `code`.
    public static func exit(_ code: Int32) -> Never {
        supportExit(code)
        while true {}
    }
}
