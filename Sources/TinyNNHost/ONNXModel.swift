/// The subset of an ONNX file (onnx.proto: `ModelProto`, `GraphProto`,
/// `NodeProto`, `AttributeProto`, `TensorProto`, `ValueInfoProto`) that a
/// chain of dense layers needs; every other field is skipped unread.
/// Subgraphs (attributes of type GRAPH) are not read: no op TinyNN imports
/// has one.
public struct ONNXModel {
    public var irVersion: Int64 = 0
    public var producerName = ""
    public var producerVersion = ""
    /// `(domain, version)`; domain "" is the default ONNX operator set.
    public var opsets: [(domain: String, version: Int64)] = []
    public var graph = ONNXGraph()

    /// The default operator set's version (1 if the file names none).
    public var opsetVersion: Int64 { opsets.first(where: { $0.domain == "" || $0.domain == "ai.onnx" })?.version ?? 1 }

    /// Parses a whole `.onnx` file; at most one graph.
    public init(bytes: [UInt8]) throws(ProtobufError) {
        var r = ProtobufReader(bytes)
        var sawGraph = false
        while let (number, wire) = try r.field() {
            switch number {
            case ONNXField.Model.irVersion: try r.expect(wire, .varint, field: "ir_version"); irVersion = try r.int64()
            case ONNXField.Model.producerName: try r.expect(wire, .lengthDelimited, field: "producer_name"); producerName = try r.string()
            case ONNXField.Model.producerVersion: try r.expect(wire, .lengthDelimited, field: "producer_version"); producerVersion = try r.string()
            case ONNXField.Model.graph:
                try r.expect(wire, .lengthDelimited, field: "graph")
                guard !sawGraph else { throw r.fail("a second graph") }
                var g = try r.message()
                graph = try ONNXGraph(&g)
                sawGraph = true
            case ONNXField.Model.opsetImport:
                try r.expect(wire, .lengthDelimited, field: "opset_import")
                var m = try r.message()
                var domain = "", version: Int64 = 0
                while let (n, w) = try m.field() {
                    switch n {
                    case ONNXField.OperatorSetID.domain: try m.expect(w, .lengthDelimited, field: "domain"); domain = try m.string()
                    case ONNXField.OperatorSetID.version: try m.expect(w, .varint, field: "version"); version = try m.int64()
                    default: try m.skip(w)
                    }
                }
                opsets.append((domain, version))
            default: try r.skip(wire)
            }
        }
        guard sawGraph else { throw r.fail("no graph (not an ONNX model file?)", at: 0) }
    }
}

public struct ONNXGraph {
    public var name = ""
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []

    init() {}

    init(_ r: inout ProtobufReader) throws(ProtobufError) {
        while let (number, wire) = try r.field() {
            switch number {
            case ONNXField.Graph.node: try r.expect(wire, .lengthDelimited, field: "node"); var m = try r.message(); nodes.append(try ONNXNode(&m))
            case ONNXField.Graph.name: try r.expect(wire, .lengthDelimited, field: "name"); name = try r.string()
            case ONNXField.Graph.initializer:
                try r.expect(wire, .lengthDelimited, field: "initializer")
                var m = try r.message(); initializers.append(try ONNXTensor(&m))
            case ONNXField.Graph.input: try r.expect(wire, .lengthDelimited, field: "input"); var m = try r.message(); inputs.append(try ONNXValueInfo(&m))
            case ONNXField.Graph.output: try r.expect(wire, .lengthDelimited, field: "output"); var m = try r.message(); outputs.append(try ONNXValueInfo(&m))
            case ONNXField.Graph.sparseInitializer: throw r.fail("sparse initializers are not supported")
            default: try r.skip(wire)
            }
        }
    }
}

public struct ONNXNode {
    public var name = ""
    public var opType = ""
    public var domain = ""
    public var inputs: [String] = []
    public var outputs: [String] = []
    public var attributes: [ONNXAttribute] = []

    init(_ r: inout ProtobufReader) throws(ProtobufError) {
        while let (number, wire) = try r.field() {
            switch number {
            case ONNXField.Node.input: try r.expect(wire, .lengthDelimited, field: "input"); inputs.append(try r.string())
            case ONNXField.Node.output: try r.expect(wire, .lengthDelimited, field: "output"); outputs.append(try r.string())
            case ONNXField.Node.name: try r.expect(wire, .lengthDelimited, field: "name"); name = try r.string()
            case ONNXField.Node.opType: try r.expect(wire, .lengthDelimited, field: "op_type"); opType = try r.string()
            case ONNXField.Node.attribute:
                try r.expect(wire, .lengthDelimited, field: "attribute")
                var m = try r.message(); attributes.append(try ONNXAttribute(&m))
            case ONNXField.Node.domain: try r.expect(wire, .lengthDelimited, field: "domain"); domain = try r.string()
            default: try r.skip(wire)
            }
        }
    }

    public func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }
}

public struct ONNXAttribute {
    public var name = ""
    /// AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7.
    public var type: Int64 = 0
    public var f: Float = 0
    public var i: Int64 = 0
    public var s: [UInt8] = []
    public var t: ONNXTensor?
    public var floats: [Float] = []
    public var ints: [Int64] = []

    init(_ r: inout ProtobufReader) throws(ProtobufError) {
        while let (number, wire) = try r.field() {
            switch number {
            case ONNXField.Attribute.name: try r.expect(wire, .lengthDelimited, field: "name"); name = try r.string()
            case ONNXField.Attribute.f: try r.expect(wire, .fixed32, field: "f"); f = Float(bitPattern: try r.fixed32())
            case ONNXField.Attribute.i: try r.expect(wire, .varint, field: "i"); i = try r.int64()
            case ONNXField.Attribute.s: try r.expect(wire, .lengthDelimited, field: "s"); s = Array(try r.data())
            case ONNXField.Attribute.t: try r.expect(wire, .lengthDelimited, field: "t"); var m = try r.message(); t = try ONNXTensor(&m)
            case ONNXField.Attribute.floats: try r.floats(wire, into: &floats)
            case ONNXField.Attribute.ints: try r.int64s(wire, into: &ints)
            case ONNXField.Attribute.type: try r.expect(wire, .varint, field: "type"); type = try r.int64()
            default: try r.skip(wire)
            }
        }
    }
}

public struct ONNXValueInfo {
    public var name = ""
    /// The tensor's dimensions; nil for a symbolic or unknown one.
    public var dims: [Int64?] = []
    public var elementType: Int64 = 0

    init(_ r: inout ProtobufReader) throws(ProtobufError) {
        while let (number, wire) = try r.field() {
            switch number {
            case ONNXField.ValueInfo.name: try r.expect(wire, .lengthDelimited, field: "name"); name = try r.string()
            case ONNXField.ValueInfo.type:
                try r.expect(wire, .lengthDelimited, field: "type")
                var type = try r.message()
                while let (n, w) = try type.field() {
                    guard n == ONNXField.TypeProto.tensorType, w == .lengthDelimited else { try type.skip(w); continue }
                    var tensor = try type.message()
                    while let (tn, tw) = try tensor.field() {
                        switch tn {
                        case ONNXField.TensorType.elemType: try tensor.expect(tw, .varint, field: "elem_type"); elementType = try tensor.int64()
                        case ONNXField.TensorType.shape:
                            try tensor.expect(tw, .lengthDelimited, field: "shape")
                            var shape = try tensor.message()
                            while let (sn, sw) = try shape.field() {
                                guard sn == ONNXField.Shape.dim, sw == .lengthDelimited else { try shape.skip(sw); continue }
                                var dim = try shape.message()
                                var value: Int64? = nil
                                while let (dn, dw) = try dim.field() {
                                    if dn == ONNXField.Dimension.value, dw == .varint { value = try dim.int64() } else { try dim.skip(dw) }
                                }
                                dims.append(value)
                            }
                        default: try tensor.skip(tw)
                        }
                    }
                }
            default: try r.skip(wire)
            }
        }
    }
}

/// An ONNX tensor as stored; ``floatValues()`` decodes its numbers.
public struct ONNXTensor {
    public var name = ""
    public var dims: [Int64] = []
    /// TensorProto.DataType: FLOAT 1, INT32 6, INT64 7, DOUBLE 11.
    public var dataType: Int64 = 0
    public var floatData: [Float] = []
    public var doubleData: [Double] = []
    public var int64Data: [Int64] = []
    public var int32Data: [Int64] = []
    public var rawData: [UInt8] = []
    public var isExternal = false

    init() {}

    init(_ r: inout ProtobufReader) throws(ProtobufError) {
        while let (number, wire) = try r.field() {
            switch number {
            case ONNXField.Tensor.dims: try r.int64s(wire, into: &dims)
            case ONNXField.Tensor.dataType: try r.expect(wire, .varint, field: "data_type"); dataType = try r.int64()
            case ONNXField.Tensor.floatData: try r.floats(wire, into: &floatData)
            case ONNXField.Tensor.int32Data: try r.int64s(wire, into: &int32Data)
            case ONNXField.Tensor.int64Data: try r.int64s(wire, into: &int64Data)
            case ONNXField.Tensor.name: try r.expect(wire, .lengthDelimited, field: "name"); name = try r.string()
            case ONNXField.Tensor.rawData: try r.expect(wire, .lengthDelimited, field: "raw_data"); rawData = Array(try r.data())
            case ONNXField.Tensor.doubleData: try r.doubles(wire, into: &doubleData)
            case ONNXField.Tensor.externalData: try r.skip(wire); isExternal = true
            case ONNXField.Tensor.dataLocation: try r.expect(wire, .varint, field: "data_location"); if try r.varint() == 1 { isExternal = true }
            default: try r.skip(wire)
            }
        }
    }

    /// The element count the dimensions give (nil if negative or absurd).
    public var elementCount: Int? {
        var n = 1
        for d in dims {
            guard d >= 0, d < 1 << 31 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: Int(d))
            guard !overflow, p < 1 << 31 else { return nil }
            n = p
        }
        return n
    }

    /// The values as float32 (float64 and integers converted), checked
    /// against the dimensions; `converted` says whether float64 was rounded.
    public func floatValues() -> (values: [Float], convertedFromDouble: Bool)? {
        guard !isExternal, let count = elementCount else { return nil }
        var values: [Float]
        var fromDouble = false
        switch dataType {
        case ONNXField.DataType.float:
            if !rawData.isEmpty {
                guard rawData.count == 4 * count else { return nil }
                values = (0..<count).map { k in
                    Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(rawData[4 * k + $1]) << (8 * UInt32($1)) })
                }
            } else { values = floatData }
        case ONNXField.DataType.double:
            fromDouble = true
            if !rawData.isEmpty {
                guard rawData.count == 8 * count else { return nil }
                values = (0..<count).map { k in
                    Float(Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(rawData[8 * k + $1]) << (8 * UInt64($1)) }))
                }
            } else { values = doubleData.map { Float($0) } }
        case ONNXField.DataType.int32, ONNXField.DataType.int64:
            let width = dataType == ONNXField.DataType.int64 ? 8 : 4
            if !rawData.isEmpty {
                guard rawData.count == width * count else { return nil }
                values = (0..<count).map { k in
                    let u = (0..<width).reduce(UInt64(0)) { $0 | UInt64(rawData[width * k + $1]) << (8 * UInt64($1)) }
                    return width == 8 ? Float(Int64(bitPattern: u)) : Float(Int32(truncatingIfNeeded: u))
                }
            } else { values = (dataType == ONNXField.DataType.int64 ? int64Data : int32Data).map { Float($0) } }
        default: return nil
        }
        guard values.count == count else { return nil }
        return (values, fromDouble)
    }
}
