/// A gzip reader (RFC 1952) with a table-driven inflater for DEFLATE
/// (RFC 1951): enough to read the MNIST files without a dependency.
///
/// Every member of the file is read (RFC 1952 §2.2: a gzip file is a series
/// of members; the output is their concatenation), each member's header CRC
/// (FHCRC), trailer CRC-32 and size are checked, and bytes after the last
/// member that are not a member are refused. The inflated size is bounded
/// while inflating: by `cap`, and, once the first `prefixCount` bytes are out,
/// by what `capFromPrefix` derives from them (an IDX header's promise).
public enum Gzip {
    public struct Error: Swift.Error, CustomStringConvertible {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// The inflated size no file may exceed unless the caller states another.
    public static let defaultCap = 1 << 30

    /// A bound on the output that the first bytes of the output determine.
    public struct PrefixCap {
        /// How many output bytes `cap` needs.
        public var count: Int
        /// The bound, or nil when the prefix does not say (a later check reports why).
        public var cap: ([UInt8]) -> Int?
        /// Says where the bound came from, for the error line.
        public var source: String
        public init(count: Int, cap: @escaping ([UInt8]) -> Int?, source: String) {
            self.count = count; self.cap = cap; self.source = source
        }
    }

    public static func inflate(_ g: [UInt8], file: String, cap: Int = defaultCap, prefixCap: PrefixCap? = nil) throws -> [UInt8] {
        let fail = { (problem: String) in Error(file: file, problem: problem) }
        // The last member's size field, a hint for the first allocation (a lie costs
        // only address space: it is bounded by the cap and by DEFLATE's 1032:1).
        let hint = g.count >= 4 ? Int(g[g.count - 4]) | Int(g[g.count - 3]) << 8 | Int(g[g.count - 2]) << 16
            | Int(g[g.count - 1]) << 24 : 0
        var output = Output(cap: cap, prefixCap: prefixCap, sizeHint: Swift.min(hint, 1032 * g.count))
        defer { output.deallocate() }
        try g.withUnsafeBufferPointer { input in
            var start = 0, member = 1
            repeat {
                let where_ = member == 1 ? "" : " (member \(member), at byte \(start))"
                let p = try headerEnd(input, start, where_, fail)
                let memberStart = output.count
                var r = BitReader(input, position: p)
                do { try inflateMember(&r, &output, memberStart) } catch let e as Corrupt {
                    switch e {
                    case .truncated: throw fail("truncated gzip data\(where_)")
                    case .tooLarge:
                        if let bound = output.prefixBound {
                            throw fail("inflates to more than \(bound) bytes, the size \(prefixCap!.source) promises")
                        }
                        throw fail("inflates to more than \(output.cap) bytes (the cap on inflated size)")
                    case .invalid(let what): throw fail("corrupt gzip data\(where_): \(what)")
                    }
                }
                let end = r.byteEnd
                guard end + 8 <= input.count else { throw fail("truncated gzip trailer\(where_)") }
                func le32(_ k: Int) -> UInt32 {
                    UInt32(input[k]) | UInt32(input[k + 1]) << 8 | UInt32(input[k + 2]) << 16 | UInt32(input[k + 3]) << 24
                }
                let produced = output.count - memberStart
                guard le32(end + 4) == UInt32(truncatingIfNeeded: produced) else {
                    throw fail("inflated to \(produced) bytes, the trailer\(where_) says \(le32(end + 4))")
                }
                let crc = crc32(UnsafeBufferPointer(start: output.base + memberStart, count: produced))
                guard crc == le32(end) else { throw fail("CRC-32 of the inflated data does not match\(where_)") }
                start = end + 8
                member += 1
                if start < input.count && !(input.count - start >= 2 && input[start] == 0x1f && input[start + 1] == 0x8b) {
                    throw fail("\(input.count - start) bytes of trailing garbage after the gzip data, at byte \(start)")
                }
            } while start < input.count
        }
        return output.array()
    }

    /// Checks a member's header and returns where its DEFLATE data begin.
    static func headerEnd(_ g: UnsafeBufferPointer<UInt8>, _ start: Int, _ where_: String,
                          _ fail: (String) -> Error) throws -> Int {
        guard g.count - start >= 10, g[start] == 0x1f, g[start + 1] == 0x8b else {
            throw fail("not a gzip file\(where_)")
        }
        guard g[start + 2] == 8 else { throw fail("gzip compression method \(g[start + 2]) is not DEFLATE\(where_)") }
        let flags = g[start + 3]
        guard flags & 0xE0 == 0 else { throw fail("gzip header has reserved flag bits set\(where_)") }
        var p = start + 10
        let truncated = fail("truncated gzip header\(where_)")
        if flags & 4 != 0 {
            guard p + 2 <= g.count else { throw truncated }
            p += 2 + (Int(g[p]) | Int(g[p + 1]) << 8)
        }
        for flag: UInt8 in [8, 16] where flags & flag != 0 {
            while p < g.count && g[p] != 0 { p += 1 }
            p += 1
        }
        if flags & 2 != 0 {
            guard p + 2 <= g.count else { throw truncated }
            let stored = UInt32(g[p]) | UInt32(g[p + 1]) << 8
            guard crc32(UnsafeBufferPointer(rebasing: g[start..<p])) & 0xFFFF == stored else {
                throw fail("gzip header CRC does not match\(where_)")
            }
            p += 2
        }
        guard p < g.count else { throw truncated }
        return p
    }

    enum Corrupt: Swift.Error {
        case truncated, tooLarge, invalid(String)
    }

    // MARK: - Output

    /// The inflated bytes, in a buffer that grows by doubling, never past the cap.
    struct Output {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        /// `count + n <= room` means n more bytes fit without a check.
        var room: Int
        var cap: Int
        var prefixCap: PrefixCap?
        /// The bound the prefix gave, once it did.
        var prefixBound: Int?

        init(cap: Int, prefixCap: PrefixCap?, sizeHint: Int) {
            self.cap = cap
            self.prefixCap = prefixCap
            capacity = Swift.max(1, Swift.min(cap, Swift.max(1 << 16, sizeHint)))
            base = .allocate(capacity: capacity)
            HugePages.advise(base, bytes: capacity)
            room = 0
            room = limit(need: 0)
        }

        func deallocate() { base.deallocate() }
        func array() -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: count) { out, n in
                HugePages.advise(out)
                if count > 0 { out.baseAddress!.update(from: base, count: count) }
                n = count
            }
        }

        private func limit(need: Int) -> Int {
            var l = Swift.min(cap, capacity)
            if let prefixCap { l = Swift.min(l, Swift.max(need, prefixCap.count)) }
            return l
        }

        /// Makes room for n more bytes or throws when they would pass a bound.
        mutating func reserve(_ n: Int) throws {
            if let pc = prefixCap, count >= pc.count {
                if let bound = pc.cap(Array(UnsafeBufferPointer(start: base, count: pc.count))), bound < cap {
                    cap = bound
                    prefixBound = bound
                }
                prefixCap = nil
            }
            let need = count + n
            guard need <= cap else { throw Corrupt.tooLarge }
            if need > capacity {
                let newCapacity = Swift.min(Swift.max(need, capacity * 2), cap)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                HugePages.advise(grown, bytes: newCapacity)
                grown.update(from: base, count: count)
                base.deallocate()
                base = grown
                capacity = newCapacity
            }
            room = limit(need: need)
        }
    }

    // MARK: - Bits

    /// Bits of the input, least significant first, in a 64-bit buffer.
    ///
    /// Bits above `count` in `buffer` are either zero or the input's own next
    /// bits, so refilling ORs the same values into them. Past the end of the
    /// input it feeds zeros; a stream that reads them is truncated (checked by
    /// `byteEnd` at the end of a member, and by `refill` before it runs far).
    struct BitReader {
        let input: UnsafeBufferPointer<UInt8>
        var position: Int
        var buffer: UInt64 = 0
        var count = 0

        init(_ input: UnsafeBufferPointer<UInt8>, position: Int) { self.input = input; self.position = position }

        /// At least 56 bits in the buffer afterwards.
        @inline(__always) mutating func refill() throws {
            if position + 8 <= input.count {
                let word = UnsafeRawPointer(input.baseAddress! + position).loadUnaligned(as: UInt64.self)
                buffer |= UInt64(littleEndian: word) << UInt64(count)
                position += (63 - count) >> 3
                count |= 56
            } else {
                try refillSlowly()
            }
        }

        mutating func refillSlowly() throws {
            while count < 56 {
                if position < input.count { buffer |= UInt64(input[position]) << UInt64(count) }
                position += 1
                count += 8
            }
            guard position <= input.count + 16 else { throw Corrupt.truncated }
        }

        @inline(__always) func peek(_ n: Int) -> Int { Int(truncatingIfNeeded: buffer & ((1 << UInt64(n)) - 1)) }
        @inline(__always) mutating func drop(_ n: Int) { buffer >>= UInt64(n); count -= n }
        /// n ≤ 32 bits; refills first.
        mutating func bits(_ n: Int) throws -> Int {
            if count < n { try refill() }
            let v = peek(n)
            drop(n)
            return v
        }

        /// The index of the first byte not consumed (past the input's end if it read the zeros).
        var byteEnd: Int { position - count / 8 }

        /// Discards the bits to the next byte boundary and empties the buffer, so
        /// `position` is the next byte.
        mutating func alignToByte() {
            position = byteEnd
            buffer = 0
            count = 0
        }
    }

    // MARK: - Huffman tables

    /// A decoding table for a canonical Huffman code, indexed by the next
    /// `rootBits` input bits (codes arrive most significant bit first, the
    /// input least significant first, so the index is the code bit-reversed).
    /// Codes longer than `rootBits` go through a second-level table whose size
    /// is just enough for the longest code under that prefix.
    ///
    /// An entry packs: bits 0–3 the bits it consumes at its level, 4–7 the
    /// extra bits that follow the code, 8–10 its kind, 16–31 its value (a
    /// literal, a base length or distance, or a second-level table's offset;
    /// for a link, bits 4–7 are that table's index bits).
    struct Table {
        static let literal: UInt32 = 0 << 8, base: UInt32 = 1 << 8, endOfBlock: UInt32 = 2 << 8
        static let link: UInt32 = 3 << 8, invalid: UInt32 = 4 << 8

        var entries: [UInt32]
        let rootBits: Int

        /// `entry(symbol)` gives the kind, extra bits and value of a symbol.
        init(lengths: ArraySlice<Int>, rootBits: Int, entry: (Int) -> UInt32) throws {
            self.rootBits = rootBits
            var counts = [Int](repeating: 0, count: 16)
            for l in lengths { counts[l] += 1 }
            counts[0] = 0
            var left = 1
            for l in 1..<16 {
                left = (left << 1) - counts[l]
                guard left >= 0 else { throw Corrupt.invalid("over-subscribed Huffman code") }
            }
            var next = [Int](repeating: 0, count: 16)
            for l in 1..<16 { next[l] = (next[l - 1] + counts[l - 1]) << 1 }
            // Canonical codes, bit-reversed to the input's order (a byte-reversal table, two loads).
            var reversed = [Int](repeating: 0, count: lengths.count)
            for (k, l) in lengths.enumerated() where l != 0 {
                let c = next[l]
                next[l] += 1
                reversed[k] = (Table.reversedBytes[c & 0xFF] << 8 | Table.reversedBytes[c >> 8 & 0xFF]) >> (16 - l)
            }
            let rootSize = 1 << rootBits, rootMask = rootSize - 1
            var subBits = [Int](repeating: 0, count: rootSize)
            var prefixes: [Int] = []
            for (k, l) in lengths.enumerated() where l > rootBits {
                let p = reversed[k] & rootMask
                if subBits[p] == 0 { prefixes.append(p) }
                subBits[p] = Swift.max(subBits[p], l - rootBits)
            }
            var offsets = [Int](repeating: 0, count: rootSize)
            var size = rootSize
            for p in prefixes { offsets[p] = size; size += 1 << subBits[p] }
            entries = [UInt32](repeating: Table.invalid, count: size)
            entries.withUnsafeMutableBufferPointer { t in
                for p in prefixes {
                    t[p] = Table.link | UInt32(offsets[p]) << 16 | UInt32(subBits[p]) << 4 | UInt32(rootBits)
                }
                for (k, l) in lengths.enumerated() where l != 0 {
                    let r = reversed[k], e = entry(k)
                    if l <= rootBits {
                        let v = e | UInt32(l)
                        var i = r
                        while i < rootSize { t[i] = v; i += 1 << l }
                    } else {
                        let p = r & rootMask, o = offsets[p], step = 1 << (l - rootBits), end = 1 << subBits[p]
                        let v = e | UInt32(l - rootBits)
                        var i = r >> rootBits
                        while i < end { t[o + i] = v; i += step }
                    }
                }
            }
        }

        static let reversedBytes: [Int] = (0..<256).map { b in
            var r = 0
            for k in 0..<8 where b & (1 << k) != 0 { r |= 1 << (7 - k) }
            return r
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                             67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                           1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
                            12, 12, 13, 13]

    static func literalLengthEntry(_ s: Int) -> UInt32 {
        switch s {
        case 0..<256: return Table.literal | UInt32(s) << 16
        case 256: return Table.endOfBlock
        case 257..<286: return Table.base | UInt32(lengthBase[s - 257]) << 16 | UInt32(lengthExtra[s - 257]) << 4
        default: return Table.invalid
        }
    }

    static func distanceEntry(_ s: Int) -> UInt32 {
        s < 30 ? Table.base | UInt32(distBase[s]) << 16 | UInt32(distExtra[s]) << 4 : Table.invalid
    }

    static let literalRootBits = 10, distanceRootBits = 8

    static let fixedTables: (Table, Table) = {
        let lit = (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 }
        return (try! Table(lengths: lit[...], rootBits: literalRootBits, entry: literalLengthEntry),
                try! Table(lengths: [Int](repeating: 5, count: 30)[...], rootBits: distanceRootBits, entry: distanceEntry))
    }()

    // MARK: - Inflating

    static func inflateMember(_ r: inout BitReader, _ out: inout Output, _ memberStart: Int) throws {
        var last = 0
        repeat {
            last = try r.bits(1)
            do {
                switch try r.bits(2) {
                case 0: try stored(&r, &out)
                case 1: try block(&r, fixedTables.0, fixedTables.1, &out, memberStart)
                case 2:
                    let (lit, dist) = try dynamicTables(&r)
                    try block(&r, lit, dist, &out, memberStart)
                default: throw Corrupt.invalid("block type 3")
                }
            } catch Corrupt.invalid(let what) {
                // Codes made of the zeros past the end say nothing: the data stop short.
                throw r.byteEnd > r.input.count ? Corrupt.truncated : Corrupt.invalid(what)
            }
            guard r.byteEnd <= r.input.count else { throw Corrupt.truncated }
        } while last == 0
    }

    static func stored(_ r: inout BitReader, _ out: inout Output) throws {
        r.alignToByte()
        let p = r.position, input = r.input
        guard p + 4 <= input.count else { throw Corrupt.truncated }
        let len = Int(input[p]) | Int(input[p + 1]) << 8, nlen = Int(input[p + 2]) | Int(input[p + 3]) << 8
        guard len == nlen ^ 0xFFFF else { throw Corrupt.invalid("stored block length does not match its complement") }
        guard p + 4 + len <= input.count else { throw Corrupt.truncated }
        if out.count + len > out.room { try out.reserve(len) }
        (out.base + out.count).update(from: input.baseAddress! + p + 4, count: len)
        out.count += len
        r.position = p + 4 + len
    }

    static func dynamicTables(_ r: inout BitReader) throws -> (Table, Table) {
        let hlit = try r.bits(5) + 257, hdist = try r.bits(5) + 1, hclen = try r.bits(4) + 4
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var cl = [Int](repeating: 0, count: 19)
        for k in 0..<hclen { cl[order[k]] = try r.bits(3) }
        let clTable = try Table(lengths: cl[...], rootBits: 7) { Table.literal | UInt32($0) << 16 }
        var lengths: [Int] = []
        lengths.reserveCapacity(hlit + hdist + 138)
        while lengths.count < hlit + hdist {
            try r.refill()
            let e = clTable.entries[r.peek(7)]
            guard e & 0x700 == Table.literal else { throw Corrupt.invalid("invalid code-length code") }
            r.drop(Int(e & 15))
            let s = Int(e >> 16)
            switch s {
            case 0..<16: lengths.append(s)
            case 16:
                guard let prev = lengths.last else { throw Corrupt.invalid("repeat of no code length") }
                lengths += repeatElement(prev, count: 3 + (try r.bits(2)))
            case 17: lengths += repeatElement(0, count: 3 + (try r.bits(3)))
            default: lengths += repeatElement(0, count: 11 + (try r.bits(7)))
            }
        }
        guard lengths.count == hlit + hdist else { throw Corrupt.invalid("code lengths run past their count") }
        guard lengths[256] != 0 else { throw Corrupt.invalid("no end-of-block code") }
        return (try Table(lengths: lengths[0..<hlit], rootBits: literalRootBits, entry: literalLengthEntry),
                try Table(lengths: lengths[hlit...], rootBits: distanceRootBits, entry: distanceEntry))
    }

    /// Decodes one Huffman-coded block. After a refill the buffer holds ≥ 56
    /// bits: enough for a length code (≤ 15), its extra bits (≤ 5), a distance
    /// code (≤ 15) and its extra bits (≤ 13).
    static func block(_ r: inout BitReader, _ lit: Table, _ dist: Table, _ out: inout Output, _ memberStart: Int) throws {
        try lit.entries.withUnsafeBufferPointer { litEntries in
            try dist.entries.withUnsafeBufferPointer { distEntries in
                let litMask = (1 << literalRootBits) - 1, distMask = (1 << distanceRootBits) - 1
                while true {
                    try r.refill()
                    var e = litEntries[Int(truncatingIfNeeded: r.buffer) & litMask]
                    if e & 0x700 == Table.link {
                        r.drop(Int(e & 15))
                        e = litEntries[Int(e >> 16) + r.peek(Int(e >> 4 & 15))]
                    }
                    r.drop(Int(e & 15))
                    let kind = e & 0x700
                    if kind == Table.literal {
                        if out.count + 1 > out.room { try out.reserve(1) }
                        out.base[out.count] = UInt8(truncatingIfNeeded: e >> 16)
                        out.count += 1
                        continue
                    }
                    if kind == Table.endOfBlock { return }
                    guard kind == Table.base else { throw Corrupt.invalid("invalid literal/length code") }
                    let length = Int(e >> 16) + r.peek(Int(e >> 4 & 15))
                    r.drop(Int(e >> 4 & 15))
                    var d = distEntries[Int(truncatingIfNeeded: r.buffer) & distMask]
                    if d & 0x700 == Table.link {
                        r.drop(Int(d & 15))
                        d = distEntries[Int(d >> 16) + r.peek(Int(d >> 4 & 15))]
                    }
                    r.drop(Int(d & 15))
                    guard d & 0x700 == Table.base else { throw Corrupt.invalid("invalid distance code") }
                    let distance = Int(d >> 16) + r.peek(Int(d >> 4 & 15))
                    r.drop(Int(d >> 4 & 15))
                    guard distance <= out.count - memberStart else { throw Corrupt.invalid("distance too far back") }
                    if out.count + length > out.room { try out.reserve(length) }
                    let to = out.base + out.count, from = to - distance
                    if distance >= length {
                        to.update(from: from, count: length)
                    } else if distance == 1 {
                        to.update(repeating: from.pointee, count: length)
                    } else {
                        for k in 0..<length { to[k] = from[k] }
                    }
                    out.count += length
                }
            }
        }
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as in gzip and zlib,
/// eight bytes per step (slicing by 8: table k gives the CRC of a byte
/// followed by k zero bytes).
public func crc32<C: Collection>(_ bytes: C, initial: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
    if let crc = bytes.withContiguousStorageIfAvailable({ crc32($0, initial: initial) }) {
        return crc
    }
    let copy = Array(bytes)
    return copy.withUnsafeBufferPointer { crc32($0, initial: initial) }
}

private let crcTables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for n in 0..<256 {
        var c = UInt32(n)
        for _ in 0..<8 { c = (c >> 1) ^ (0xEDB8_8320 & (0 &- (c & 1))) }
        t[n] = c
    }
    for k in 1..<8 {
        for n in 0..<256 { t[k * 256 + n] = (t[(k - 1) * 256 + n] >> 8) ^ t[Int(t[(k - 1) * 256 + n] & 0xFF)] }
    }
    return t
}()

func crc32(_ bytes: UnsafeBufferPointer<UInt8>, initial: UInt32 = 0) -> UInt32 {
    var c = ~initial
    guard let base = bytes.baseAddress else { return initial }
    crcTables.withUnsafeBufferPointer { t in
        var p = base, n = bytes.count
        while n >= 8 {
            let lo = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self).littleEndian ^ c
            let hi = UnsafeRawPointer(p + 4).loadUnaligned(as: UInt32.self).littleEndian
            c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int(lo >> 8 & 0xFF)]
                ^ t[5 * 256 + Int(lo >> 16 & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int(hi >> 8 & 0xFF)]
                ^ t[1 * 256 + Int(hi >> 16 & 0xFF)] ^ t[Int(hi >> 24)]
            p += 8; n -= 8
        }
        while n > 0 {
            c = (c >> 8) ^ t[Int((c ^ UInt32(p.pointee)) & 0xFF)]
            p += 1; n -= 1
        }
    }
    return ~c
}
