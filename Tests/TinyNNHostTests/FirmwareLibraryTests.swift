import Foundation
import Testing
import TinyNNHost

/// The C library's rules (FirmwareLibrary): its name and ABI name per board,
/// float ABI and enum size, its flags (the firmware's, one owner), and the
/// checks of the tools' output. The build itself runs in Scripts/verify-c.
@Suite struct FirmwareLibraryTests {
    @Test func namesFollowTheBoardAndABI() throws {
        let m4 = try FirmwareLibrary(root: packageRoot, board: "mps2-an386")
        #expect(m4.name == "libtinynn-mps2-an386" && m4.abiSymbol == "tinynn_run_abi_hard_enum1" && m4.gnu == "arm-none-eabi")
        let softfp = try FirmwareLibrary(root: packageRoot, board: "mps2-an386", floatABI: .softfp)
        #expect(softfp.name == "libtinynn-mps2-an386-softfp" && softfp.abiSymbol == "tinynn_run_abi_softfp_enum1")
        let enum4 = try FirmwareLibrary(root: packageRoot, board: "mps2-an386", enums: .int)
        #expect(enum4.name == "libtinynn-mps2-an386-enum4" && enum4.abiSymbol == "tinynn_run_abi_hard_enum4")
        let m0 = try FirmwareLibrary(root: packageRoot, board: "microbit")
        #expect(m0.name == "libtinynn-microbit" && m0.abiSymbol == "tinynn_run_abi_soft_enum1")
        // RISC-V: enums are int-sized in every ABI; the float ABI is -mabi's.
        let rv = try FirmwareLibrary(root: packageRoot, board: "riscv32", enums: .int)
        #expect(rv.name == "libtinynn-riscv32" && rv.abiSymbol == "tinynn_run_abi_ilp32f_enum4" && rv.gnu == "riscv64-unknown-elf")
        #expect(rv.entryPoints == ["tinynn_run", "tinynn_scale_input", "tinynn_int8_run", "tinynn_run_abi_ilp32f_enum4"])
    }

    /// The library's Swift and C flags are the firmware build's with the
    /// float ABI and enum flag swapped in, nothing else.
    @Test func flagsAreTheFirmwaresWithTheABI() throws {
        let firmware = try FirmwareBuild(root: packageRoot, board: "mps2-an386", app: "hello")
        let hard = try FirmwareLibrary(root: packageRoot, board: "mps2-an386")
        #expect(hard.clangFlags == firmware.board.words("CLANG_FLAGS") + ["-fshort-enums"])
        #expect(hard.swiftFlags == firmware.swiftFlags(clangFlags: hard.clangFlags))
        #expect(hard.swiftFlags.filter { $0 != "-fshort-enums" && $0 != "-Xcc" } == firmware.swiftFlags().filter { $0 != "-Xcc" })
        #expect(hard.cFlags == firmware.cFlags(clangFlags: hard.clangFlags) + ["-Werror"])
        let softfp = try FirmwareLibrary(root: packageRoot, board: "mps2-an386", floatABI: .softfp, enums: .int)
        #expect(softfp.clangFlags == ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=softfp", "-mfpu=fpv4-sp-d16", "-fno-short-enums"])
        #expect(softfp.swiftFlags.contains("-mfloat-abi=softfp") && !softfp.swiftFlags.contains("-mfloat-abi=hard"))
        let rv = try FirmwareLibrary(root: packageRoot, board: "riscv32")
        #expect(rv.clangFlags == ["-march=rv32imafc", "-mabi=ilp32f"])
        let rvFirmware = try FirmwareBuild(root: packageRoot, board: "riscv32", app: "hello")
        #expect(rv.swiftFlags == rvFirmware.swiftFlags())
    }

    @Test func badBoardsAndABIs() {
        func message(_ body: () throws -> FirmwareLibrary) -> String? {
            do { _ = try body(); return nil } catch {
                guard let e = error as? FirmwareError, e.isUsage else { return "not usage: \(error)" }
                return e.description
            }
        }
        #expect(message { try FirmwareLibrary(root: packageRoot, board: "microbit", floatABI: .softfp) }
                == "microbit has no FPU: --float-abi softfp is for hard-float Arm boards")
        #expect(message { try FirmwareLibrary(root: packageRoot, board: "riscv32", floatABI: .softfp) }?.hasPrefix("riscv32 has no FPU") == true)
        #expect(message { try FirmwareLibrary(root: packageRoot, board: "host") }?.hasPrefix("'host' is not a board (one of: microbit mps2-an386") == true)
        #expect(message { try FirmwareLibrary(root: packageRoot, board: "nosuch") }?.hasPrefix("unknown board 'nosuch' (one of: ") == true)
        #expect(message { try FirmwareLibrary(root: packageRoot, board: "../Boards/riscv32") }?.hasPrefix("unknown board") == true)
    }

    @Test func renamesEveryDefinedGlobal() {
        let nm = "\n/x/softfloat.o:\n00000000 T fmaf\n00000010 T __aeabi_fadd\n\n/x/builtins.o:\n00000000 T __atomic_load_4\n"
        #expect(FirmwareLibrary.renames(nm: nm) == "fmaf tinynn_fmaf\n__aeabi_fadd tinynn___aeabi_fadd\n__atomic_load_4 tinynn___atomic_load_4\n")
        #expect(FirmwareLibrary.renames(nm: "") == "")
    }

    @Test func onlyMemoryHelpersMayStayUndefined() {
        let nm = "         U memcpy\n         U __aeabi_memclr4\n         U memset\n         U __aeabi_memmove8\n"
        #expect(FirmwareLibrary.unexpectedUndefined(nm: nm).isEmpty)
        #expect(FirmwareLibrary.unexpectedUndefined(nm: nm + "         U fmaf\n         U __aeabi_memfoo\n") == ["fmaf", "__aeabi_memfoo"])
    }

    @Test func sizesFromGNUSize() {
        let out = "   text\t   data\t    bss\t    dec\t    hex\tfilename\n   2784\t      4\t     16\t   2804\t    af4\t/x/tinynn.o\n"
        #expect(FirmwareLibrary.sizes(gnuSize: out) == (2784, 4, 16))
        #expect(FirmwareLibrary.sizes(gnuSize: "") == (0, 0, 0))
    }

    @Test func buildAttributesAreChecked() throws {
        let hard = try FirmwareLibrary(root: packageRoot, board: "mps2-an386")
        let good = "Attribute Section: aeabi\n  Tag_ABI_enum_size: small\n  Tag_ABI_VFP_args: VFP registers\n"
        #expect(hard.attributeProblem(readelf: good) == nil)
        #expect(hard.attributeProblem(readelf: "  Tag_ABI_enum_size: int\n  Tag_ABI_VFP_args: VFP registers\n")
                == "the objects' enum size is not 'small': Tag_ABI_enum_size: int")
        #expect(hard.attributeProblem(readelf: "  Tag_ABI_enum_size: small\n") == "the objects do not pass floats in VFP registers")
        let softfp = try FirmwareLibrary(root: packageRoot, board: "mps2-an386", floatABI: .softfp, enums: .int)
        #expect(softfp.attributeProblem(readelf: "  Tag_ABI_enum_size: int\n") == nil)
        #expect(softfp.attributeProblem(readelf: "  Tag_ABI_enum_size: int\n  Tag_ABI_VFP_args: VFP registers\n")
                == "the objects pass floats in VFP registers")
    }

    /// Every C function the core declares (`@_extern(c, "NAME")`) is defined
    /// in one of the library's kernel sources: a Helium build of the library
    /// once lacked activation_mve.c and optimizer_mve.c.
    @Test func kernelSourcesDefineEveryExternOfTheCore() throws {
        let sources = FirmwareLibrary.kernelSources(support: packageRoot + "/Firmware/Support")
        #expect(sources.contains { $0.hasSuffix("/activation_mve.c") } && sources.contains { $0.hasSuffix("/optimizer_mve.c") })
        #expect(!sources.contains { $0.hasSuffix("/start.c") || $0.hasSuffix("/console.c") })
        let text = try sources.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined(separator: "\n")
        var externs: [String] = []
        let core = packageRoot + "/Sources/TinyNN"
        for file in FileManager.default.enumerator(atPath: core)!.compactMap({ $0 as? String }) where file.hasSuffix(".swift") {
            let swift = try String(contentsOfFile: core + "/" + file, encoding: .utf8)
            for match in swift.matches(of: /@_extern\(c, *"([a-z0-9_]+)"\)/) { externs.append(String(match.1)) }
        }
        #expect(externs.count >= 10)
        let missing = externs.filter { name in !text.contains(name + "(") }
        #expect(missing.isEmpty, "no kernel source defines \(missing)")
    }
}
