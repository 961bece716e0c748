import Foundation
import Testing
import TinyNNHost

/// The inflater against files made by Python's zlib (Tests/Fixtures/gzip,
/// made by its make-fixtures.py): every block type, header field and member
/// layout inflates to the bytes zlib compressed; truncated, corrupt, oversized
/// and trailing-garbage inputs are refused with one line naming the file.
@Suite struct GzipTests {
    static let dir = "\(packageRoot)/Tests/Fixtures/gzip"
    static func bytes(_ name: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: "\(dir)/\(name)")!) }

    /// Inflating must fail with a Gzip.Error whose line names the file and says `problem`.
    func refuses(_ g: [UInt8], _ problem: String, cap: Int = Gzip.defaultCap, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let out = try Gzip.inflate(g, file: "x.gz", cap: cap)
            Issue.record("inflated \(out.count) bytes, expected “\(problem)”", sourceLocation: sourceLocation)
        } catch let e as Gzip.Error {
            #expect(e.description.hasPrefix("x.gz: "), sourceLocation: sourceLocation)
            #expect(e.description.contains(problem), "\(e)", sourceLocation: sourceLocation)
            #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["text-dynamic", "text-fixed", "noise-stored", "noise-level6", "runs-dynamic",
                      "runs-small-window", "empty", "header-fields", "extra-length-254", "extra-length-255", "members"])
    func inflatesLikeZlib(_ name: String) throws {
        let raw = Self.bytes("\(name).raw")
        let out = try Gzip.inflate(Self.bytes("\(name).gz"), file: name)
        #expect(out.count == raw.count)
        #expect(out == raw)
    }

    /// The fixtures are what their names say (so the round trips above cover
    /// stored, fixed and dynamic blocks and the header fields).
    @Test func fixturesCoverTheFormat() {
        func blockType(_ name: String) -> UInt8 { Self.bytes("\(name).gz")[10] >> 1 & 3 }
        #expect(blockType("noise-stored") == 0)
        #expect(blockType("text-fixed") == 1)
        #expect(blockType("text-dynamic") == 2)
        #expect(Self.bytes("header-fields.gz")[3] == 2 | 4 | 8 | 16)
        let extra = Self.bytes("extra-length-254.gz")
        #expect(extra[3] == 4 && extra[10] == 0xFE && extra[11] == 0x01)
    }

    /// The bundled MNIST images: a known size and CRC-32 (zlib's, from
    /// Scripts/bench-zlib.py).
    @Test func inflatesMNIST() throws {
        let path = "\(packageRoot)/Data/mnist/t10k-images-idx3-ubyte.gz"
        let out = try Gzip.inflate([UInt8](FileManager.default.contents(atPath: path)!), file: path)
        #expect(out.count == 7_840_016)
        #expect(crc32(out) == 0x9137_3bdf)
    }

    @Test func crc32KnownAnswers() {
        #expect(crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(crc32([UInt8]()) == 0)
        // Every length 0…40 and an offset start: the 8-byte steps and the tail agree with byte-at-a-time.
        let data = (0..<41).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 0...40 {
            var c: UInt32 = 0
            for b in data[1..<(1 + n)] { c = crc32([b], initial: c) }
            #expect(crc32(data[1..<(1 + n)]) == c)
        }
    }

    @Test func everyTruncationIsRefused() {
        let g = Self.bytes("header-fields.gz")
        for n in 0..<g.count { refuses(Array(g[0..<n]), n < 10 ? "not a gzip file" : "truncated") }
    }

    /// Every single-bit flip of a small file either is refused with a line
    /// naming the file or (in FTEXT, MTIME, XFL, OS) inflates to the same bytes.
    @Test func everyBitFlipIsRefusedOrHarmless() throws {
        let g = Self.bytes("text-dynamic.gz"), raw = Self.bytes("text-dynamic.raw")
        var refused = 0
        for k in 0..<min(g.count, 600) {
            for bit in 0..<8 {
                var h = g
                h[k] ^= 1 << bit
                do {
                    let out = try Gzip.inflate(h, file: "x.gz")
                    #expect(out == raw)
                    #expect((4..<10).contains(k) || (k == 3 && bit == 0), "flip at byte \(k) bit \(bit) passed")
                } catch let e as Gzip.Error {
                    #expect(e.description.hasPrefix("x.gz: "))
                    refused += 1
                }
            }
        }
        #expect(refused >= 8 * 600 - 49)
    }

    /// Random bytes after a valid header: refused, never a trap or a hang.
    @Test func randomStreamsAreRefused() {
        var seed: UInt64 = 15
        for _ in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let n = Int(seed >> 54) + 1
            var g: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
            for _ in 0..<n {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                g.append(UInt8(truncatingIfNeeded: seed >> 56))
            }
            _ = try? Gzip.inflate(g, file: "x.gz", cap: 1 << 20)
        }
    }

    @Test func concatenatedMembersAreRead() throws {
        let a = Self.bytes("text-dynamic.gz"), b = Self.bytes("runs-dynamic.gz")
        #expect(try Gzip.inflate(a + b, file: "x.gz") == Self.bytes("text-dynamic.raw") + Self.bytes("runs-dynamic.raw"))
        // A damaged second member is named as such, not as a truncated file.
        var c = a + b
        c[a.count + 2] = 7
        refuses(c, "gzip compression method 7 is not DEFLATE (member 2, at byte \(a.count))")
        refuses(a + b.prefix(b.count - 3), "truncated gzip trailer (member 2")
    }

    @Test func trailingGarbageIsRefused() {
        let g = Self.bytes("text-dynamic.gz")
        refuses(g + Array("junk".utf8), "4 bytes of trailing garbage after the gzip data, at byte \(g.count)")
        refuses(g + [0], "1 bytes of trailing garbage")
    }

    @Test func headerCRCIsChecked() throws {
        refuses(Self.bytes("header-crc-bad.gz"), "gzip header CRC does not match")
        // The good one (header-fields.gz has FHCRC) passes: see inflatesLikeZlib.
        #expect(Self.bytes("header-fields.gz")[3] & 2 != 0)
    }

    @Test func corruptStreamsAreRefused() {
        let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
        refuses(header + [0x07] + [UInt8](repeating: 0, count: 8), "block type 3")
        // A stored block whose length's complement is wrong.
        refuses(header + [0x01, 5, 0, 0, 0] + [UInt8](repeating: 0, count: 13), "complement")
        // A fixed block whose first code is a match (nothing to copy from yet):
        // final, fixed, length code 257 (0000001), distance code 0 (00000).
        refuses(header + [0x03 | 0x00 << 3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0], "distance too far back")
        refuses(header, "truncated gzip header")
        refuses(header + [0x04], "truncated gzip data")
        var method = header
        method[2] = 7
        refuses(method + [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0], "not DEFLATE")
        var reserved = header
        reserved[3] = 0x20
        refuses(reserved + [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0], "reserved flag")
    }

    /// 16 MiB of zeros under a 1 MiB cap: refused at the cap, while inflating.
    @Test func inflatedSizeIsCapped() throws {
        refuses(Self.bytes("zeros-bomb.gz"), "inflates to more than 1048576 bytes", cap: 1 << 20)
        #expect(try Gzip.inflate(Self.bytes("zeros-bomb.gz"), file: "x.gz", cap: 1 << 24).count == 1 << 24)
        refuses(Self.bytes("zeros-bomb.gz"), "inflates to more than 16777215 bytes", cap: (1 << 24) - 1)
    }

    /// An IDX file whose header promises one 28 × 28 image but inflates to
    /// 16 MiB: refused at the header's 800 bytes.
    @Test func idxHeaderCapsTheInflatedSize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = "\(dir)/images.gz", labels = "\(dir)/labels"
        try Data(Self.bytes("idx-bomb.gz")).write(to: URL(fileURLWithPath: images))
        try Data([0, 0, 8, 1, 0, 0, 0, 1, 3]).write(to: URL(fileURLWithPath: labels))
        do {
            _ = try IDX.load(images: images, labels: labels)
            Issue.record("loaded a bomb")
        } catch {
            #expect("\(error)" == "\(images): inflates to more than 800 bytes, the size the IDX header promises")
        }
    }
}
