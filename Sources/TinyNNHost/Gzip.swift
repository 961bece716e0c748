/// A gzip reader (RFC 1952) with an inflater for DEFLATE (RFC 1951): enough
/// to read the MNIST files without a dependency.
enum Gzip {
    struct Error: Swift.Error, CustomStringConvertible {
        var file: String
        var problem: String
        var description: String { "\(file): \(problem)" }
    }

    static func inflate(_ g: [UInt8], file: String) throws -> [UInt8] {
        guard g.count >= 18, g[0] == 0x1f, g[1] == 0x8b, g[2] == 8 else {
            throw Error(file: file, problem: "not a gzip file (or not DEFLATE)")
        }
        let flags = g[3]
        var p = 10
        if flags & 4 != 0 { p += 2 + Int(g[p]) | Int(g[p + 1]) << 8 }
        if flags & 8 != 0 { while p < g.count && g[p] != 0 { p += 1 }; p += 1 }
        if flags & 16 != 0 { while p < g.count && g[p] != 0 { p += 1 }; p += 1 }
        if flags & 2 != 0 { p += 2 }
        guard p < g.count else { throw Error(file: file, problem: "truncated gzip header") }
        var reader = BitReader(bytes: g, position: p)
        var out: [UInt8] = []
        do { try inflate(&reader, into: &out) } catch { throw Error(file: file, problem: "corrupt or truncated gzip data") }
        let end = reader.byteEnd
        guard end + 8 <= g.count else { throw Error(file: file, problem: "truncated gzip data") }
        let size = Int(g[end + 4]) | Int(g[end + 5]) << 8 | Int(g[end + 6]) << 16 | Int(g[end + 7]) << 24
        guard size == out.count & 0xFFFF_FFFF else {
            throw Error(file: file, problem: "inflated to \(out.count) bytes, the trailer says \(size)")
        }
        guard crc32(out) == UInt32(g[end]) | UInt32(g[end + 1]) << 8 | UInt32(g[end + 2]) << 16 | UInt32(g[end + 3]) << 24 else {
            throw Error(file: file, problem: "CRC-32 of the inflated data does not match")
        }
        return out
    }

    struct Truncated: Swift.Error {}

    struct BitReader {
        let bytes: [UInt8]
        var position: Int
        var bitBuffer: UInt64 = 0
        var bitCount = 0

        init(bytes: [UInt8], position: Int) { self.bytes = bytes; self.position = position }

        mutating func bits(_ n: Int) throws -> Int {
            while bitCount < n {
                guard position < bytes.count else { throw Truncated() }
                bitBuffer |= UInt64(bytes[position]) << UInt64(bitCount)
                position += 1; bitCount += 8
            }
            let v = Int(bitBuffer & ((1 << UInt64(n)) - 1))
            bitBuffer >>= UInt64(n); bitCount -= n
            return v
        }

        mutating func alignToByte() { let drop = bitCount % 8; bitBuffer >>= UInt64(drop); bitCount -= drop }
        /// The index of the first byte not consumed.
        var byteEnd: Int { position - bitCount / 8 }
    }

    /// A canonical Huffman code: counts per length and symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []
        init(lengths: [Int]) {
            for l in lengths { counts[l] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for l in 1..<16 { offsets[l] = offsets[l - 1] + counts[l - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (s, l) in lengths.enumerated() where l != 0 { symbols[offsets[l]] = s; offsets[l] += 1 }
        }
        func decode(_ r: inout BitReader) throws -> Int {
            var code = 0, first = 0, index = 0
            for l in 1..<16 {
                code |= try r.bits(1)
                let count = counts[l]
                if code - count < first { return symbols[index + (code - first)] }
                index += count; first += count
                first <<= 1; code <<= 1
            }
            throw Truncated()
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                             67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                           1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
                            12, 12, 13, 13]

    static func inflate(_ r: inout BitReader, into out: inout [UInt8]) throws {
        var last = 0
        repeat {
            last = try r.bits(1)
            switch try r.bits(2) {
            case 0:
                r.alignToByte()
                let len = try r.bits(16); _ = try r.bits(16)
                for _ in 0..<len { out.append(UInt8(try r.bits(8))) }
            case 1:
                let lit = Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                let dist = Huffman(lengths: [Int](repeating: 5, count: 30))
                try block(&r, lit, dist, &out)
            case 2:
                let hlit = try r.bits(5) + 257, hdist = try r.bits(5) + 1, hclen = try r.bits(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var cl = [Int](repeating: 0, count: 19)
                for k in 0..<hclen { cl[order[k]] = try r.bits(3) }
                let clCode = Huffman(lengths: cl)
                var lengths: [Int] = []
                while lengths.count < hlit + hdist {
                    let s = try clCode.decode(&r)
                    switch s {
                    case 0..<16: lengths.append(s)
                    case 16:
                        guard let prev = lengths.last else { throw Truncated() }
                        lengths += [Int](repeating: prev, count: 3 + (try r.bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try r.bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try r.bits(7)))
                    }
                }
                try block(&r, Huffman(lengths: Array(lengths[0..<hlit])),
                          Huffman(lengths: Array(lengths[hlit..<(hlit + hdist)])), &out)
            default:
                throw Truncated()
            }
        } while last == 0
    }

    static func block(_ r: inout BitReader, _ lit: Huffman, _ dist: Huffman, _ out: inout [UInt8]) throws {
        while true {
            let s = try lit.decode(&r)
            if s < 256 { out.append(UInt8(s)); continue }
            if s == 256 { return }
            let li = s - 257
            guard li < 29 else { throw Truncated() }
            let length = lengthBase[li] + (try r.bits(lengthExtra[li]))
            let di = try dist.decode(&r)
            guard di < 30 else { throw Truncated() }
            let d = distBase[di] + (try r.bits(distExtra[di]))
            guard d <= out.count else { throw Truncated() }
            let from = out.count - d
            for k in 0..<length { out.append(out[from + k]) }
        }
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as in gzip and zlib.
public func crc32<C: Collection>(_ bytes: C, initial: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
    var c = ~initial
    for byte in bytes {
        c ^= UInt32(byte)
        for _ in 0..<8 { c = (c >> 1) ^ (0xEDB8_8320 & (0 &- (c & 1))) }
    }
    return ~c
}
