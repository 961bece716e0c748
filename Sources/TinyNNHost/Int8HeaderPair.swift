import TinyNN

/// An int8 model as a C header and source pair for C projects that link
/// libtinynn (`tinynn export MODEL-int8.tnn --c PATH`), laid out as
/// ``CHeaderPair`` lays out a float model: `NAME.h` declares, `NAME.c`
/// defines, so the firmware holds one copy of the integers.
///
/// For `name` = `model`, `NAME.h` holds an include guard, `#include "tinynn.h"`
/// (``tinynn_int8_model``, `tinynn_int8_predict`), ``Int8Header``'s macros
/// (among them `TINYNN_MODEL_SCRATCH_WORDS`), `extern const` declarations of
/// its arrays (`int8_t` `_w<l>` and `_t<l>`, `int32_t` `_b<l>`, `_m<l>`,
/// `_n<l>`), the per-layer `_widths`, `_activations`, `_shifts`,
/// `_negative_shifts` and `_zero_points`, the pointer tables, the descriptor
/// `tinynn_model_model`, and
/// `tinynn_status model_predict(const int8_t *x, int8_t *y, int8_t *probabilities, int32_t *scratch)`
/// with `model_classify` (the class). `NAME.c` defines them (the arrays as
/// ``Int8Header/arrays(_:name:storage:)`` writes them, 16-byte aligned).
public enum Int8HeaderPair {
    /// The two files' text: `header` for `NAME.h`, `source` for `NAME.c`.
    /// - Parameters: as ``CHeaderPair/render(_:name:fileBase:source:floats:)``; `model` is quantized.
    public static func render(_ model: Model, name: String, fileBase: String, source: String)
        -> (header: String, source: String)
    {
        precondition(CHeader.isValidName(name), "Int8HeaderPair: '\(name)' is not a valid name")
        let q = model.quantized!, net = model.network, L = q.layers.count
        let lower = "tinynn_\(name)", upper = "TINYNN_\(name.uppercased())"
        let guardName = "\(upper)_PAIR_H"
        let banner = Int8Header.comment(model, name: name, source: source)
        let l1 = Array(1...L)
        func list(_ items: [String]) -> String { "{ " + items.joined(separator: ", ") + " }" }
        func optional(_ prefix: String, _ has: (QuantizedModel.Layer) -> Bool) -> [String] {
            q.layers.enumerated().map { has($0.element) ? "\(lower)_\(prefix)\($0.offset + 1)" : "0" }
        }

        // MARK: NAME.h
        var h = banner + "\n *\n" + CHeaderPair.opening(fileBase: fileBase, guardName: guardName, usage: [
            "static int32_t scratch[\(upper)_SCRATCH_WORDS];",
            "int8_t y[\(upper)_OUTPUTS], p[\(upper)_OUTPUTS];",
            "if (\(name)_predict(q, y, p, scratch) != TINYNN_OK) { ... }",
        ])
        h += Int8Header.defines(model, name: name)
        h += """

            extern const int32_t \(lower)_widths[\(upper)_LAYERS + 1];
            extern const uint8_t \(lower)_activations[\(upper)_LAYERS];
            extern const int32_t \(lower)_shifts[\(upper)_LAYERS];
            extern const int32_t \(lower)_negative_shifts[\(upper)_LAYERS];
            extern const int32_t \(lower)_zero_points[\(upper)_LAYERS];

            """
        for (l, layer) in q.layers.enumerated() {
            let n = l + 1, out = "\(upper)_WIDTH_\(n)"
            h += "extern const int8_t \(lower)_w\(n)[\(out) * \(upper)_WIDTH_\(l)];\n"
            h += "extern const int32_t \(lower)_b\(n)[\(out)];\n"
            h += "extern const int32_t \(lower)_m\(n)[\(out)];\n"
            if !layer.negativeMultiplier.isEmpty { h += "extern const int32_t \(lower)_n\(n)[\(out)];\n" }
            if !layer.table.isEmpty { h += "extern const int8_t \(lower)_t\(n)[256];\n" }
        }
        h += """
            extern const int8_t *const \(lower)_weight_table[\(upper)_LAYERS];
            extern const int32_t *const \(lower)_bias_table[\(upper)_LAYERS];
            extern const int32_t *const \(lower)_multiplier_table[\(upper)_LAYERS];
            extern const int32_t *const \(lower)_negative_multiplier_table[\(upper)_LAYERS];
            extern const int8_t *const \(lower)_lookup_table[\(upper)_LAYERS];

            /* The descriptor tinynn_int8_predict runs. */
            extern const tinynn_int8_model \(lower)_model;

            /* One forward pass on the int8 input q[\(upper)_INPUTS]; y[\(upper)_OUTPUTS] receives
             * the int8 outputs (softmax: the logits), probabilities (NULL, or \(upper)_OUTPUTS)
             * the integer softmax; scratch holds \(upper)_SCRATCH_WORDS words and overlaps none
             * of them. TINYNN_OK, or TINYNN_ERROR_NULL when q, y or scratch is NULL. */
            tinynn_status \(name)_predict(const int8_t *q, int8_t *y, int8_t *probabilities, int32_t *scratch);

            /* The predicted class (tinynn_int8_predict's rule), or a negative tinynn_status;
             * y and probabilities may be NULL. */
            int32_t \(name)_classify(const int8_t *q, int8_t *y, int8_t *probabilities, int32_t *scratch);

            """
        h += CHeaderPair.closing(guardName: guardName)

        // MARK: NAME.c
        var c = banner + "\n */\n#include \"\(fileBase).h\"\n\n"
        c += "const int32_t \(lower)_widths[\(upper)_LAYERS + 1] = \(list(net.widths.map(String.init)));\n"
        c += "const uint8_t \(lower)_activations[\(upper)_LAYERS] = \(list(q.layers.map { String($0.activation.rawValue) }));\n"
        c += "const int32_t \(lower)_shifts[\(upper)_LAYERS] = \(list(l1.map { "\(upper)_SHIFT_\($0)" }));\n"
        c += "const int32_t \(lower)_negative_shifts[\(upper)_LAYERS] = \(list(l1.map { "\(upper)_NEGATIVE_SHIFT_\($0)" }));\n"
        c += "const int32_t \(lower)_zero_points[\(upper)_LAYERS] = \(list(l1.map { "\(upper)_ZERO_POINT_\($0)" }));\n"
        c += Int8Header.arrays(model, name: name, storage: "const")
        c += """

            const int8_t *const \(lower)_weight_table[\(upper)_LAYERS] = \(list(l1.map { "\(lower)_w\($0)" }));
            const int32_t *const \(lower)_bias_table[\(upper)_LAYERS] = \(list(l1.map { "\(lower)_b\($0)" }));
            const int32_t *const \(lower)_multiplier_table[\(upper)_LAYERS] = \(list(l1.map { "\(lower)_m\($0)" }));
            const int32_t *const \(lower)_negative_multiplier_table[\(upper)_LAYERS] = \(list(optional("n") { !$0.negativeMultiplier.isEmpty }));
            const int8_t *const \(lower)_lookup_table[\(upper)_LAYERS] = \(list(optional("t") { !$0.table.isEmpty }));

            const tinynn_int8_model \(lower)_model = {
                \(upper)_LAYERS, \(lower)_widths, \(lower)_activations, \(lower)_weight_table, \(lower)_bias_table,
                \(lower)_multiplier_table, \(lower)_shifts, \(lower)_negative_multiplier_table, \(lower)_negative_shifts,
                \(lower)_zero_points, \(lower)_lookup_table, \(upper)_SOFTMAX_BETA, \(upper)_CLASS_THRESHOLD
            };

            tinynn_status \(name)_predict(const int8_t *q, int8_t *y, int8_t *probabilities, int32_t *scratch) {
                int32_t c;
                if (y == 0) return TINYNN_ERROR_NULL;
                c = tinynn_int8_predict(&\(lower)_model, q, y, probabilities, scratch);
                return c < 0 ? (tinynn_status)c : TINYNN_OK;
            }

            int32_t \(name)_classify(const int8_t *q, int8_t *y, int8_t *probabilities, int32_t *scratch) {
                return tinynn_int8_predict(&\(lower)_model, q, y, probabilities, scratch);
            }

            """
        return (h, c)
    }
}
