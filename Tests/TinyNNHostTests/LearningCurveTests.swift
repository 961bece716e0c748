import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
import TinyNNHost

/// The learning-curve SVG: well-formed XML with both series, axes and legend.
struct LearningCurveTests {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var polylinePoints: [Int] = []
        var texts: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
            if name == "polyline" { polylinePoints.append(attributes["points"]!.split(separator: " ").count) }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
    }

    @Test func chartIsWellFormedWithBothSeries() throws {
        let svg = LearningCurve.svg(loss: [1.6, 0.5, 0.3, 0.2, 0.15], accuracy: [0.7, 0.9, 0.93, nil, 0.95],
                                    title: "digits <64-30-10> & more", accuracyLabel: "test accuracy")
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(collector.elements["svg"] == 1)
        #expect(collector.polylinePoints == [5, 4], "five losses; four measured accuracies")
        let text = collector.texts.joined()
        for label in ["epoch", "training loss", "test accuracy (%)", "digits <64-30-10> & more", "100%", "0%"] {
            #expect(text.contains(label), "missing text '\(label)'")
        }
        #expect(svg.contains("&lt;64-30-10&gt; &amp; more"), "the title is escaped")
    }

    @Test func oneEpochAndDivergedLossesStillDraw() {
        let svg = LearningCurve.svg(loss: [.nan], accuracy: [0.5], title: "t")
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(!svg.contains("nan"), "no NaN coordinates")
    }
}
