import Foundation
import Testing
import TinyNN
import TinyNNHost

/// The built `tinynn` executable, run as a user would: real files in, real
/// files out, exit codes and one-line errors.
@Suite(.serialized) struct CommandLineTests {
    static let digits = "\(packageRoot)/Data/digits/digits.csv"
    static let images = "\(packageRoot)/Data/mnist/t10k-images-idx3-ubyte.gz"
    static let labels = "\(packageRoot)/Data/mnist/t10k-labels-idx1-ubyte.gz"

    func tinynn(_ arguments: String..., in dir: String) throws -> ProcessResult {
        try #require(FileManager.default.isExecutableFile(atPath: tinynnPath),
                     "tinynn not built at \(tinynnPath); run swift build first")
        return try runProcess(tinynnPath, arguments, in: dir)
    }

    func withDirectory(_ body: (String) throws -> Void) throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    @Test func trainsOnDigitsCSV() throws {
        try withDirectory { dir in
            let r = try tinynn("train", "--data", Self.digits, "--seeds-config", "--epochs", "8", "--output", "digits.tnn",
                               "--header", "digits.h", "--name", "digits", "--plot", "digits.svg", in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            // Not a terminal: one plain progress line per epoch.
            let progress = r.stderr.split(separator: "\n")
            #expect(progress.count == 9, "8 epochs, then how the run ended")
            #expect(progress.first?.hasPrefix("epoch 1/8 ") == true)
            #expect(progress.dropLast().allSatisfy { $0.contains(" samples/s  loss ") && $0.contains("test accuracy") && $0.hasSuffix(" left") })
            #expect(progress.last?.hasPrefix("ran all 8 epochs (early stopping off); kept epoch 8 (held-out loss 0.") == true)
            #expect(!r.stderr.contains("\r"))
            let model = try ModelFile.load("\(dir)/digits.tnn")
            #expect(model.network.widths == [64, 30, 10])
            #expect(model.scaling.kind == .minMax)
            #expect(model.training.testSamples == 359 && model.training.trainingSamples == 1438)
            // Digits are easy: 8 epochs of the seeds' network give well over 90% (97.8% at seed 1).
            #expect(model.training.accuracy > 0.9)
            let header = try String(contentsOfFile: "\(dir)/digits.h", encoding: .utf8)
            #expect(header.contains("#define TINYNN_DIGITS_LAYERS 2\n"))
            #expect(header.contains("static const float tinynn_digits_w1[TINYNN_DIGITS_WIDTH_1 * TINYNN_DIGITS_WIDTH_0] TINYNN_DIGITS_ALIGN = {"))
            #expect(header == CHeader.render(model, name: "digits", source: "digits.tnn"), "train --header = export")
            let svg = try String(contentsOfFile: "\(dir)/digits.svg", encoding: .utf8)
            #expect(svg.hasPrefix("<?xml") && svg.contains("<polyline") && svg.hasSuffix("</svg>\n"))
            #expect(r.stdout.contains("wrote digits.tnn: 64 -> 30 sigmoid -> 10 softmax, 2260 parameters"))
        }
    }

    /// No tuning flags: the measured defaults (README, "Defaults"), stopped early on the held-out loss.
    @Test func defaultsStopEarlyOnDigits() throws {
        try withDirectory { dir in
            let r = try tinynn("train", "--data", Self.digits, "--output", "d.tnn", in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let model = try ModelFile.load("\(dir)/d.tnn")
            #expect(model.network.widths == [64, 100, 10] && model.network.activations == [.relu, .softmax])
            #expect(model.training.optimizer.kind == .adam && model.training.epochs == 200)
            let stop = try #require(model.stopping)
            #expect(stop.reason == .patience && stop.rule == EarlyStopping(patience: 20))
            #expect(stop.epochsRun == stop.keptEpoch + 20 && stop.epochsRun < 200)
            #expect(stop.keptLoss == model.training.testLoss, "the file holds the kept epoch's parameters")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == stop.epochsRun + 1)
            #expect(lines.last == "\(stop.summary)"[...] && lines.last!.hasPrefix("stopped after epoch \(stop.epochsRun) of \(200): "))
            // Held-out accuracy of the default network on digits: 98.05% at seed 1 (kept epoch 34 of 54).
            #expect(model.training.accuracy > 0.96)
            let info = try tinynn("info", "d.tnn", in: dir)
            #expect(info.stdout.contains("  stopping    \(stop.summary)\n"))
            // Fewer epochs, evaluated every 4th: patience counts evaluations.
            let e = try tinynn("train", "--data", Self.digits, "--eval-every", "4", "--patience", "2", "--output", "e.tnn", in: dir)
            #expect(e.status == 0, "\(e.stderr)")
            let every = try #require(try ModelFile.load("\(dir)/e.tnn").stopping)
            #expect(every.keptEpoch % 4 == 0 && every.epochsRun == every.keptEpoch + 8)
            #expect(e.stderr.split(separator: "\n").dropLast().enumerated().allSatisfy { k, line in
                line.contains("test accuracy") == ((k + 1) % 4 == 0) })
            // 784 inputs: the default hidden width narrows to keep 32,768 parameters (half a micro:bit's flash).
            let m = try tinynn("train", "--images", Self.images, "--labels", Self.labels, "--limit", "100", "--epochs", "1",
                               "--output", "m.tnn", in: dir)
            #expect(m.status == 0, "\(m.stderr)")
            let mnist = try ModelFile.load("\(dir)/m.tnn").network
            #expect(mnist.widths == [784, 41, 10] && mnist.parameterCount <= 32_768 && mnist.parameterCount > 32_768 - 795)
        }
    }

    @Test func trainsOnMNISTSubset() throws {
        try withDirectory { dir in
            let r = try tinynn("train", "--images", Self.images, "--labels", Self.labels, "--limit", "1000",
                               "--layers", "784,16,10", "--activations", "relu,softmax", "--optimizer", "adam",
                               "--eta", "0.003", "--batch", "20", "--epochs", "3", "--seed", "4",
                               "--output", "mnist.tnn", "--header", "mnist.h", "--plot", "mnist.svg", in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let model = try ModelFile.load("\(dir)/mnist.tnn")
            #expect(model.network.widths == [784, 16, 10])
            #expect(model.network.activations == [.relu, .softmax])
            #expect(model.scaling.kind == .none, "MNIST pixels are already in [0, 1]")
            #expect(model.training.optimizer.kind == .adam && model.training.seed == 4)
            #expect(model.training.trainingSamples == 800 && model.training.testSamples == 200)
            // 800 images, 3 epochs: far above the 10% of guessing (about 80% here).
            #expect(model.training.accuracy > 0.6)
            #expect(FileManager.default.fileExists(atPath: "\(dir)/mnist.h"))
            #expect(FileManager.default.fileExists(atPath: "\(dir)/mnist.svg"))
        }
    }

    @Test func sameSeedSameBytes() throws {
        try withDirectory { dir in
            for name in ["a", "b"] {
                let r = try tinynn("train", "--data", Self.digits, "--limit", "500", "--epochs", "3",
                                   "--optimizer", "momentum", "--scale", "standard",
                                   "--output", "\(name).tnn", "--header", "\(name).h", in: dir)
                #expect(r.status == 0, "\(r.stderr)")
            }
            let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.tnn"))
            let b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.tnn"))
            #expect(a == b)
            let ha = try String(contentsOfFile: "\(dir)/a.h", encoding: .utf8)
            let hb = try String(contentsOfFile: "\(dir)/b.h", encoding: .utf8)
            #expect(ha.replacingOccurrences(of: "a.tnn", with: "b.tnn") == hb)
        }
    }

    @Test func evalPredictInfoExport() throws {
        try withDirectory { dir in
            #expect(try tinynn("train", "--data", Self.digits, "--seeds-config", "--epochs", "4", "--output", "m.tnn", in: dir).status == 0)
            let model = try ModelFile.load("\(dir)/m.tnn")

            let eval = try tinynn("eval", "m.tnn", "--data", Self.digits, in: dir)
            #expect(eval.status == 0, "\(eval.stderr)")
            let data = try CSVTable.read(Self.digits).dataset()
            let e = try model.evaluate(on: data, name: "digits")
            let correct = (0..<10).reduce(0) { $0 + e.confusion[$1][$1] }
            #expect(eval.stdout.contains("accuracy  \(formatFixed(e.accuracy * 100, digits: 2))% (\(correct)/1797)"))
            #expect(eval.stdout.contains("confusion matrix"))

            let predict = try tinynn("predict", "m.tnn", "--data", Self.digits, in: dir)
            #expect(predict.status == 0)
            let lines = predict.stdout.split(separator: "\n")
            #expect(lines.count == 1797)
            for i in [0, 1, 1796] {
                let y = try model.predict(Array(data.sample(i)))
                #expect(lines[i] == ([String(Model.predictedClass(y))] + y.map(\.description)).joined(separator: " ")[...])
            }
            let one = try tinynn("predict", "m.tnn", "--input", data.sample(0).map { String(Int($0)) }.joined(separator: ","), in: dir)
            #expect(one.stdout.split(separator: "\n") == [lines[0]])

            let info = try tinynn("info", "m.tnn", in: dir)
            #expect(info.status == 0)
            #expect(info.stdout.contains("layers      64 -> 30 sigmoid -> 10 softmax"))
            #expect(info.stdout.contains("parameters  2,260 (2,220 weights, 40 biases)"))
            // Flash 4·2260 + 2·4·64 = 9552; RAM 4·(2·40 + 64) = 576; training 4·(2·64·30 + 5·30 + 2·30·10 + 5·10 + 64).
            #expect(info.stdout.contains("inference   flash 9,552 bytes"))
            #expect(info.stdout.contains("RAM 576 bytes"))
            #expect(info.stdout.contains("training    RAM \(InfoTestNumbers.group(4 * (2 * 64 * 30 + 150 + 600 + 50 + 64))) bytes"))

            let export = try tinynn("export", "m.tnn", "--name", "digits", "--floats", "hex", in: dir)
            #expect(export.status == 0, "\(export.stderr)")
            let header = try String(contentsOfFile: "\(dir)/m.h", encoding: .utf8)
            #expect(header == CHeader.render(model, name: "digits", source: "m.tnn", floats: .hex))
        }
    }

    /// Each bad input: exit status, exactly one line on stderr, and the
    /// output file that was there before is unchanged.
    @Test func badInputsFailCleanly() throws {
        try withDirectory { dir in
            let files: [String: String] = [
                "ragged.csv": "a,b,label\n1,2,0\n3,4\n",
                "text.csv": "a,b,label\n1,2,0\n3,x,1\n",
                "half.csv": "a,b,label\n1,2,0\n3,4,1.5\n",
                "nan.csv": "a,b,label\n1,2,0\n3,nan,1\n",
                "inf.csv": "a,b,label\n1,2,0\n3,-inf,1\n",
                "big.csv": "a,b,label\n1,2,0\n3,4,7\n",
            ]
            for (name, text) in files { try FileIO.writeAtomically(text, to: "\(dir)/\(name)") }
            #expect(try tinynn("train", "--data", Self.digits, "--epochs", "1", "--output", "good.tnn", in: dir).status == 0)
            let good = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/good.tnn"))
            try good.prefix(200).write(to: URL(fileURLWithPath: "\(dir)/truncated.tnn"))
            var v3 = good; v3[8] = 3
            try v3.write(to: URL(fileURLWithPath: "\(dir)/v3.tnn"))
            var damaged = good; damaged[1000] ^= 1
            try damaged.write(to: URL(fileURLWithPath: "\(dir)/damaged.tnn"))
            let labelsBody = try runProcess("/bin/sh", ["-c", "gzip -dc '\(Self.labels)' | head -c 5000 > short-labels; gzip -dc '\(Self.images)' | head -c 20000 > short-images"], in: dir)
            try #require(labelsBody.status == 0)

            let precious = "precious contents\n"
            let cases: [(arguments: [String], status: Int32, message: String)] = [
                (["train", "--data", "ragged.csv"], 1, "tinynn: ragged.csv:3: 2 fields, expected 3 as on line 1"),
                (["train", "--data", "text.csv"], 1, "tinynn: text.csv:3: field 2 ('b'): 'x' is not a number"),
                (["train", "--data", "half.csv"], 1, "tinynn: half.csv:3: label 'label' is 1.5, not a class number 0, 1, 2, ...; is the label in another column? (--label-column NAME|INDEX)"),
                (["train", "--data", "nan.csv"], 1, "tinynn: nan.csv:3: field 2 ('b'): 'nan' is NaN"),
                (["train", "--data", "inf.csv"], 1, "tinynn: inf.csv:3: field 2 ('b'): '-inf' is infinite or too large for a Float"),
                (["train", "--data", "big.csv", "--layers", "2,4,5"], 1, "tinynn: big.csv:3: label 'label' 7 is outside 0...4 (5 classes)"),
                (["train", "--data", "missing.csv"], 1, "tinynn: missing.csv: No such file or directory"),
                (["train", "--images", "short-images", "--labels", Self.labels], 1,
                 "tinynn: short-images: truncated: body has 19984 bytes, the header promises 7840000"),
                (["train", "--images", Self.images, "--labels", "short-labels"], 1,
                 "tinynn: short-labels: truncated: body has 4992 bytes, the header promises 10000"),
                (["train", "--images", "short-labels", "--labels", "short-labels"], 1,
                 "tinynn: short-labels: wrong magic 0x00000801, expected 0x00000803"),
                (["train", "--data", Self.digits, "--layers", "784,30,10"], 2,
                 "tinynn: --layers 784,30,10: the first width is 784, but \(Self.digits) has 64 features (see 'tinynn help train')"),
                (["train", "--data", Self.digits, "--foo"], 2, "tinynn: unknown flag --foo for 'train' (see 'tinynn help train')"),
                (["train", "--data", Self.digits, "--epochs", "many"], 2,
                 "tinynn: --epochs needs a whole number in 0...1000000, got 'many' (see 'tinynn help train')"),
                (["train", "--data", Self.digits, "--eval-every", "0"], 2,
                 "tinynn: --eval-every needs a whole number in 1...1000000, got '0' (see 'tinynn help train')"),
                (["train", "--data", Self.digits, "--patience", "-1"], 2,
                 "tinynn: --patience needs a whole number in 0...1000000, got '-1' (see 'tinynn help train')"),
                (["train", "--data", Self.digits, "--loss", "cross-entropy", "--activations", "sigmoid,sigmoid"], 2,
                 "tinynn: --loss cross-entropy needs a softmax output layer, not sigmoid (see 'tinynn help train')"),
                (["frobnicate"], 2, "tinynn: unknown command 'frobnicate' (see 'tinynn help')"),
                (["info", "truncated.tnn"], 1, "tinynn: truncated.tnn: truncated: 200 bytes, the header says \(good.count)"),
                (["info", "v3.tnn"], 1, "tinynn: v3.tnn: model file format version 3; this tinynn reads versions 1 and 2"),
                (["eval", "ragged.csv", "--data", Self.digits], 1, "tinynn: ragged.csv: not a TinyNN model file (wrong magic number)"),
                (["export", "good.tnn", "--name", "Bad-Name"], 2,
                 "tinynn: --name 'Bad-Name' must be a lowercase letter, then lowercase letters, digits or _ (see 'tinynn help export')"),
                (["predict", "good.tnn", "--input", "1,2,3"], 2, "tinynn: --input has 3 values; good.tnn takes 64 features (see 'tinynn help predict')"),
            ]
            for c in cases {
                try FileIO.writeAtomically(precious, to: "\(dir)/out.tnn")
                try FileIO.writeAtomically(precious, to: "\(dir)/out.h")
                var arguments = c.arguments
                if arguments[0] == "train" { arguments += ["--output", "out.tnn", "--header", "out.h"] }
                if arguments[0] == "export" { arguments += ["--output", "out.h"] }
                let r = try runProcess(tinynnPath, arguments, in: dir)
                #expect(r.status == c.status, "\(arguments)")
                #expect(r.stderr == c.message + "\n", "\(arguments)")
                #expect(r.stdout.isEmpty, "\(arguments)")
                #expect(try String(contentsOfFile: "\(dir)/out.tnn", encoding: .utf8) == precious, "\(arguments) damaged out.tnn")
                #expect(try String(contentsOfFile: "\(dir)/out.h", encoding: .utf8) == precious, "\(arguments) damaged out.h")
            }
            let damagedRun = try tinynn("info", "damaged.tnn", in: dir)
            #expect(damagedRun.status == 1)
            #expect(damagedRun.stderr.hasPrefix("tinynn: damaged.tnn: CRC-32 mismatch (stored 0x"))
            #expect(damagedRun.stderr.split(separator: "\n").count == 1)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        }
    }

    /// `tinynn help train` documents every flag of the issue, with an example.
    @Test func helpDocumentsEveryFlag() throws {
        try withDirectory { dir in
            let expected: [String: [String]] = [
                "train": ["--data", "--label-column", "--images", "--labels", "--layers", "--activations", "--loss",
                          "--optimizer", "--eta", "--momentum", "--weight-decay", "--batch", "--epochs", "--seed",
                          "--init", "--validation-split", "--test", "--scale", "--limit", "--output", "--header", "--plot"],
                "eval": ["--data", "--label-column", "--images", "--labels", "--limit"],
                "predict": ["--input", "--data", "--label-column"],
                "info": [],
                "export": ["--output", "--name", "--floats"],
            ]
            let overview = try tinynn("help", in: dir)
            #expect(overview.status == 0)
            for (command, flags) in expected {
                #expect(overview.stdout.contains("  \(command) "))
                let h = try tinynn("help", command, in: dir)
                #expect(h.status == 0)
                #expect(h.stdout.hasPrefix("usage: tinynn \(command)"))
                #expect(h.stdout.contains("\nexample"))
                for flag in flags { #expect(h.stdout.contains("\n  \(flag) ") || h.stdout.contains("\n  \(flag)\n"), "\(command) \(flag)") }
                #expect(try tinynn(command, "--help", in: dir).stdout == h.stdout)
            }
        }
    }
}

enum InfoTestNumbers {
    static func group(_ n: Int) -> String {
        var s = String(n), out = ""
        while s.count > 3 { out = "," + s.suffix(3) + out; s.removeLast(3) }
        return s + out
    }
}
