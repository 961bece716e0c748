import Testing
import TinyNNHost

/// The CSV reader: header detection, label columns, and one precise message
/// per kind of bad input.
struct CSVTests {
    func parse(_ text: String, limit: Int? = nil) throws(CSVError) -> CSVTable {
        try CSVTable(parsing: Array(text.utf8), file: "t.csv", limit: limit)
    }

    /// The message a bad file gives, or "no error".
    func problem(_ text: String, label: CSVTable.LabelColumn = .last, classes: Int? = nil) -> String {
        do {
            _ = try parse(text).dataset(labelColumn: label, classCount: classes)
            return "no error"
        } catch { return error.description }
    }

    @Test func detectsHeaderAndReadsNumbers() throws {
        let t = try parse("a, \"b\" ,label\r\n1,2.5,0\r\n\r\n-3,4e-1,2\r\n")
        #expect(t.header == ["a", "b", "label"])
        #expect(t.columnCount == 3)
        #expect(t.values == [1, 2.5, 0, -3, 0.4, 2])
        #expect(t.lines == [2, 4], "the blank line 3 is skipped but counted")
        let d = try t.dataset()
        #expect(d.features == [1, 2.5, -3, 0.4])
        #expect(d.labels == [0, 2])
        #expect(d.classCount == 3, "largest label + 1")
    }

    @Test func withoutHeaderTheFirstRowIsData() throws {
        let t = try parse("\u{FEFF}1,2,1\n3,4,0")
        #expect(t.header == nil)
        #expect(t.rowCount == 2)
        #expect(t.lines == [1, 2])
    }

    @Test func labelColumnByNameOrIndex() throws {
        let text = "label,x,y\n1,10,20\n0,30,40\n"
        let byName = try parse(text).dataset(labelColumn: CSVTable.LabelColumn("label"))
        let byIndex = try parse(text).dataset(labelColumn: CSVTable.LabelColumn("0"))
        #expect(byName.labels == [1, 0] && byIndex.labels == [1, 0])
        #expect(byName.features == [10, 20, 30, 40])
        #expect(problem(text, label: .name("class")) == "t.csv: no column named 'class' in the header")
        #expect(problem(text, label: .index(3)) == "t.csv: label column 3 does not exist (columns are 0...2)")
        #expect(problem("1,2\n3,0\n", label: .name("label"))
                == "t.csv: label column 'label' named, but the file has no header row")
    }

    @Test func limitStopsReading() throws {
        let t = try parse("x,label\n1,0\n2,1\n3,0\nthis line is never read\n", limit: 3)
        #expect(t.rowCount == 3)
    }

    @Test func digitsFileLoads() throws {
        let d = try CSVTable.read("\(packageRoot)/Data/digits/digits.csv").dataset()
        #expect(d.count == 1797)
        #expect(d.featureCount == 64)
        #expect(d.classCount == 10)
        #expect(d.features.allSatisfy { (0...16).contains($0) })
    }

    @Test func badInputsNameTheLineAndField() {
        #expect(problem("a,b,label\n1,2,0\n3,4\n") == "t.csv:3: 2 fields, expected 3 as on line 1")
        #expect(problem("a,b,label\n1,2,0\n3,x,1\n") == "t.csv:3: field 2 ('b'): 'x' is not a number")
        #expect(problem("1,2,0\n3,,1\n") == "t.csv:2: field 2: empty")
        #expect(problem("a,b,label\n1,NaN,0\n") == "t.csv:2: field 2 ('b'): 'NaN' is NaN")
        #expect(problem("a,b,label\n1,-inf,0\n") == "t.csv:2: field 2 ('b'): '-inf' is infinite or too large for a Float")
        #expect(problem("a,b,label\n1,1e39,0\n") == "t.csv:2: field 2 ('b'): '1e39' is infinite or too large for a Float")
        #expect(problem("a,b,label\n1,2,0\n3,4,1.5\n") == "t.csv:3: label 'label' is 1.5, not a class number 0, 1, 2, ...; is the label in another column? (--label-column NAME|INDEX)")
        #expect(problem("a,b,label\n1,2,-1\n") == "t.csv:2: label 'label' is -1, not a class number 0, 1, 2, ...; is the label in another column? (--label-column NAME|INDEX)")
        #expect(problem("a,b,label\n1,2,0\n3,4,10\n", classes: 10) == "t.csv:3: label 'label' 10 is outside 0...9 (10 classes)")
        #expect(problem("1,2,0\n3,4,1e6\n") == "t.csv:2: label (field 3) 1000000 is too large; is the label in another column? (--label-column NAME|INDEX)")
        #expect(problem("a,b,label\n") == "t.csv: no data rows")
        #expect(problem("label\n1\n") == "t.csv: only one column: no features besides the label")
    }

    @Test func missingFileNamesIt() {
        do {
            _ = try CSVTable.read("/nonexistent/d.csv")
            Issue.record("no error for a missing file")
        } catch {
            #expect(error.description == "/nonexistent/d.csv: No such file or directory")
        }
    }
}
