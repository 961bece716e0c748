/// The field numbers of onnx.proto that TinyNN reads (``ONNXModel``) and
/// writes (``ONNXExport``): one table, so the reader and the writer cannot
/// disagree. Names as in onnx.proto.
enum ONNXField {
    enum Model {
        static let irVersion = 1, producerName = 2, producerVersion = 3, graph = 7, opsetImport = 8
    }
    enum OperatorSetID { static let domain = 1, version = 2 }
    enum Graph {
        static let node = 1, name = 2, initializer = 5, input = 11, output = 12, sparseInitializer = 15
    }
    enum Node { static let input = 1, output = 2, name = 3, opType = 4, attribute = 5, domain = 7 }
    enum Attribute {
        static let name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20
    }
    /// AttributeProto.AttributeType.
    enum AttributeType { static let float: Int64 = 1, int: Int64 = 2, floats: Int64 = 6, ints: Int64 = 7 }
    enum ValueInfo { static let name = 1, type = 2 }
    /// TypeProto's `tensor_type`, TypeProto.Tensor's fields, TensorShapeProto's
    /// `dim` and Dimension's `dim_value` / `dim_param`.
    enum TypeProto { static let tensorType = 1 }
    enum TensorType { static let elemType = 1, shape = 2 }
    enum Shape { static let dim = 1 }
    enum Dimension { static let value = 1, param = 2 }
    enum Tensor {
        static let dims = 1, dataType = 2, floatData = 4, int32Data = 5, int64Data = 7, name = 8, rawData = 9,
                   doubleData = 10, externalData = 13, dataLocation = 14
    }
    /// TensorProto.DataType.
    enum DataType { static let float: Int64 = 1, int32: Int64 = 6, int64: Int64 = 7, double: Int64 = 11 }
}
