/// A learning-curve chart as a standalone SVG file (opens in any browser):
/// training loss per epoch on the left axis, accuracy in percent on the
/// right axis, epochs along the bottom, with a title and a legend.
public enum LearningCurve {
    /// - Parameters:
    ///   - loss: the mean training loss of each epoch (epoch 1 first).
    ///   - accuracy: the accuracy of each epoch in [0, 1], nil where not measured.
    ///   - title: escaped here, any text.
    ///   - accuracyLabel: what the accuracy was measured on, e.g. "test accuracy".
    public static func svg(loss: [Float], accuracy: [Double?], title: String,
                           accuracyLabel: String = "test accuracy") -> String {
        let width = 760.0, height = 440.0
        let left = 78.0, right = 78.0, top = 52.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let epochs = max(loss.count, accuracy.count)
        let finite = loss.filter { $0.isFinite }.map(Double.init)
        let lossTop = niceCeiling(finite.max() ?? 1)
        func x(_ epoch: Int) -> Double {
            epochs <= 1 ? left + plotW / 2 : left + plotW * Double(epoch - 1) / Double(epochs - 1)
        }
        func yLoss(_ v: Double) -> Double { top + plotH * (1 - v / lossTop) }
        func yAccuracy(_ v: Double) -> Double { top + plotH * (1 - v) }
        let lossColour = "#d62728", accuracyColour = "#1f77b4"

        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\(escape(title))</text>

            """
        // Grid and ticks: five steps on each vertical axis.
        for k in 0...5 {
            let fraction = Double(k) / 5, y = top + plotH * (1 - fraction)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"\(lossColour)\">\(tick(lossTop * fraction))</text>\n"
            s += "<text x=\"\(f(left + plotW + 8))\" y=\"\(f(y + 4))\" fill=\"\(accuracyColour)\">\(Int(fraction * 100))%</text>\n"
        }
        let step = max(1, niceCeiling(Double(epochs) / 10))
        // Epoch 1, then multiples of the step.
        for e in [1] + stride(from: Int(step), through: epochs, by: Int(step)).filter({ $0 > 1 }) {
            s += "<line x1=\"\(f(x(e)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x(e)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(f(x(e)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\">\(e)</text>\n"
        }
        s += """
            <rect x="\(f(left))" y="\(f(top))" width="\(f(plotW))" height="\(f(plotH))" fill="none" stroke="black"/>
            <text x="\(f(left + plotW / 2))" y="\(f(height - 16))" text-anchor="middle">epoch</text>
            <text transform="translate(22 \(f(top + plotH / 2))) rotate(-90)" text-anchor="middle" fill="\(lossColour)">training loss</text>
            <text transform="translate(\(f(width - 18)) \(f(top + plotH / 2))) rotate(90)" text-anchor="middle" fill="\(accuracyColour)">\(escape(accuracyLabel)) (%)</text>

            """
        func series(_ points: [(Int, Double)], colour: String, dashed: Bool) {
            guard !points.isEmpty else { return }
            let coordinates = points.map { "\(f(x($0.0))),\(f($0.1))" }.joined(separator: " ")
            s += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 3\"" : "")/>\n"
            for (epoch, y) in points {
                s += "<circle cx=\"\(f(x(epoch)))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(colour)\"/>\n"
            }
        }
        series(loss.enumerated().filter { $0.element.isFinite }.map { ($0.offset + 1, yLoss(Double($0.element))) },
               colour: lossColour, dashed: false)
        series(accuracy.enumerated().compactMap { i, a in a.map { (i + 1, yAccuracy($0)) } },
               colour: accuracyColour, dashed: true)
        // Legend, right of centre inside the plot: accuracy curves sit high, loss curves low.
        let lx = left + plotW - 190, ly = top + plotH / 2 - 24
        s += """
            <rect x="\(f(lx))" y="\(f(ly))" width="180" height="48" fill="white" stroke="#999"/>
            <line x1="\(f(lx + 10))" y1="\(f(ly + 16))" x2="\(f(lx + 40))" y2="\(f(ly + 16))" stroke="\(lossColour)" stroke-width="2"/>
            <text x="\(f(lx + 48))" y="\(f(ly + 20))">training loss</text>
            <line x1="\(f(lx + 10))" y1="\(f(ly + 36))" x2="\(f(lx + 40))" y2="\(f(ly + 36))" stroke="\(accuracyColour)" stroke-width="2" stroke-dasharray="6 3"/>
            <text x="\(f(lx + 48))" y="\(f(ly + 40))">\(escape(accuracyLabel))</text>
            </svg>

            """
        return s
    }

    /// The smallest 1, 2 or 5 × 10ᵏ at or above `v` (1 for v ≤ 0).
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        var p = 1.0
        while p > v { p /= 10 }
        while p * 10 <= v { p *= 10 }
        for m in [1.0, 2, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }

    /// A tick label with up to four significant digits.
    static func tick(_ v: Double) -> String {
        if v == 0 { return "0" }
        var digits = 0
        var m = abs(v)
        while m < 100 && digits < 6 { m *= 10; digits += 1 }
        var t = formatFixed(v, digits: digits)
        if t.contains(".") { while t.hasSuffix("0") { t.removeLast() }; if t.hasSuffix(".") { t.removeLast() } }
        return t
    }

    /// Coordinates with one decimal.
    static func f(_ v: Double) -> String { formatFixed(v, digits: 1) }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
