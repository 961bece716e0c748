import Foundation
import Testing
import TinyNNHost

/// Outputs committed as one step (``OutputSet``, ``CommitJournal``): a run
/// stopped at every step of writing its outputs (the test hook
/// TINYNN_TEST_KILL_AT_COMMIT_STEP) leaves every output old, or every output
/// new once a `tinynn` command names one of them again; never a partial
/// file, and no temporary or journal file once that command ran.
@Suite(.serialized) struct CommitJournalTests {
    /// Every file in `dir` (hidden ones too: temporaries, journals), name → bytes.
    func snapshot(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)"))
        }
        return out
    }

    func leftovers(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? ["(unreadable)"]).filter { $0.contains(".tmp-") || $0.contains(".tinynn-commit") }
    }

    func write(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

    /// Runs `command` in fresh copies of `setUp`'s directory, each stopped by
    /// `signal` at step k = 1, 2, ... of writing `outputs` until a run is no
    /// longer stopped, and checks what each left: all old or all new (a mix
    /// only beside a journal), then, after `recover` (a command naming one of
    /// the outputs), all old or all new with nothing left over. Returns, per
    /// step, whether the outputs ended new.
    func stopAtEveryStep(_ command: [String], outputs: [String], signal: Int32, recover: [String],
                         setUp: (String, String) throws -> Void) throws -> [Bool] {
        let root = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        func pick(_ s: [String: Data]) -> [String: Data] { s.filter { outputs.contains($0.key) } }
        // The outputs a run writes: the same command, uninterrupted, in a directory set up the same way.
        let fresh = "\(root)/fresh"
        try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        try setUp(fresh, root)
        let old = pick(try snapshot(fresh))
        let full = try runProcess(tinynnPath, command, in: fresh)
        #expect(full.status == 0 && !full.signaled, "\(full.stderr)")
        let new = pick(try snapshot(fresh))
        #expect(new.count == outputs.count && old.count == outputs.count, "\(new.keys) \(old.keys)")
        #expect(new.allSatisfy { old[$0.key] != $0.value }, "a run that changes every output")

        var endedNew: [Bool] = []
        for k in 1...40 {
            let dir = "\(root)/step\(k)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try setUp(dir, root)
            let r = runUnblocked(tinynnPath, command, in: dir, environment: ["TINYNN_TEST_KILL_AT_COMMIT_STEP": "\(k):\(signal)"])
            if !r.signaled {
                // Past the last step: the run completed.
                let done = pick(try snapshot(dir))
                #expect(r.status == 0 && done == new, "step \(k): exit \(r.status)")
                #expect(k > 2 * outputs.count, "the commit has at least 2 steps per output")
                break
            }
            #expect(r.status == signal, "step \(k): \(r.status)")
            let after = pick(try snapshot(dir))
            let journals = leftovers(dir).filter { $0.hasSuffix(".tinynn-commit") }
            #expect(after == old || after == new || !journals.isEmpty, "step \(k): a mix of old and new with no journal")
            for (name, bytes) in after { #expect(bytes == old[name] || bytes == new[name], "step \(k): \(name) is partial") }

            let again = try runProcess(tinynnPath, recover, in: dir)
            #expect(again.status == 0 && !again.signaled, "step \(k): \(again.stderr)")
            let recovered = pick(try snapshot(dir))
            #expect(recovered == old || recovered == new, "step \(k): a mix after recovery")
            #expect(leftovers(dir).isEmpty, "step \(k): left \(leftovers(dir))")
            endedNew.append(recovered == new)
        }
        return endedNew
    }

    /// train writes a model, a header and a plot: every SIGKILL before the
    /// first journal keeps the old three, every one after gives the new three.
    @Test func trainKilledAtEveryCommitStep() throws {
        let command = ["train", "--data", "data.csv", "--seeds-config", "--epochs", "2", "--output", "o.tnn",
                       "--header", "o.h", "--plot", "o.svg"]
        let outputs = ["o.tnn", "o.h", "o.svg"]
        let setUp = { (dir: String, _: String) throws in
            try self.write("a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "\(dir)/data.csv")
            let old = try runProcess(tinynnPath, command + ["--seed", "2"], in: dir)
            #expect(old.status == 0, "\(old.stderr)")
        }
        let killed = try stopAtEveryStep(command, outputs: outputs, signal: SIGKILL, recover: ["info", "o.tnn"], setUp: setUp)
        // 3 staged, all staged, 3 journals, 3 renames, 3 journals removed.
        #expect(killed.count == 13)
        // Up to "all staged" nothing is committed; from the first journal on, the set rolls forward.
        #expect(killed == Array(repeating: false, count: 4) + Array(repeating: true, count: 9), "\(killed)")

        // SIGTERM: while staging, the handler removes the temporaries (old);
        // during the commit it waits until the renames are done (new).
        let terminated = try stopAtEveryStep(command, outputs: outputs, signal: SIGTERM, recover: ["info", "o.tnn"],
                                             setUp: setUp)
        #expect(terminated == Array(repeating: false, count: 3) + Array(repeating: true, count: 10), "\(terminated)")
    }

    /// export --c writes PATH.h and PATH.c; recovery is triggered by reading the model.
    @Test func exportPairKilledAtEveryCommitStep() throws {
        let command = ["export", "m.tnn", "--c", "pair"]
        let setUp = { (dir: String, _: String) throws in
            try self.write("a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "\(dir)/data.csv")
            for (seed, name) in [("2", "old.tnn"), ("1", "m.tnn")] {
                let t = try runProcess(tinynnPath, ["train", "--data", "data.csv", "--seeds-config", "--epochs", "1",
                                                    "--seed", seed, "--output", name], in: dir)
                #expect(t.status == 0, "\(t.stderr)")
            }
            let old = try runProcess(tinynnPath, ["export", "old.tnn", "--c", "pair", "--name", "pair"], in: dir)
            #expect(old.status == 0, "\(old.stderr)")
        }
        let killed = try stopAtEveryStep(command, outputs: ["pair.h", "pair.c"], signal: SIGKILL,
                                         recover: ["export", "m.tnn", "--output", "other.h"], setUp: setUp)
        #expect(killed.count == 9)
        #expect(killed == Array(repeating: false, count: 3) + Array(repeating: true, count: 6), "\(killed)")
    }

    /// A journal left by a killed commit is finished by the next command that
    /// names any file of the set, here the header, as another command's output
    /// (also when a name holds a newline: the journal separates names by NUL).
    @Test(arguments: ["o.tnn", "line\nbreak.tnn"]) func recoveryFromAnotherOutput(_ model: String) throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "\(dir)/data.csv")
        let train = ["train", "--data", "data.csv", "--seeds-config", "--epochs", "1"]
        #expect(try runProcess(tinynnPath, train + ["--output", "other.tnn"], in: dir).status == 0)
        // 2 staged, all staged, 2 journals, then the first rename (o.tnn): killed before o.h is renamed.
        let r = try runProcess(tinynnPath, train + ["--output", model, "--header", "o.h"], in: dir,
                               environment: ["TINYNN_TEST_KILL_AT_COMMIT_STEP": "6"])
        #expect(r.signaled && r.status == SIGKILL)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/\(model)") && !FileManager.default.fileExists(atPath: "\(dir)/o.h"))
        #expect(leftovers(dir).filter { $0.hasSuffix(".tinynn-commit") }.sorted()
                == [".o.h.tinynn-commit", ".\(model).tinynn-commit"].sorted())
        #expect(leftovers(dir).filter { $0.hasPrefix(".o.h.tmp-") }.count == 1)
        // Without the recovery, the export would leave both journals and o.h's temporary behind.
        let e = try runProcess(tinynnPath, ["export", "other.tnn", "--output", "o.h"], in: dir)
        #expect(e.status == 0, "\(e.stderr)")
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
        #expect(try ModelFile.load("\(dir)/\(model)").network.widths == [2, 30, 2])
    }

    /// SIGKILL at random times of whole train runs (mostly while training,
    /// sometimes while staging): never a partial output, and after the next
    /// command, all old or all new with nothing left over.
    @Test func randomKillsLeaveOldOrNew() throws {
        let dir = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let digits = "\(packageRoot)/Data/digits/digits.csv"
        let train = ["train", "--data", digits, "--epochs", "20", "--output", "o.tnn", "--header", "o.h", "--plot", "o.svg"]
        let started = Date()
        let base = try runProcess(tinynnPath, train + ["--seed", "2"], in: dir)
        #expect(base.status == 0, "\(base.stderr)")
        // The kills land between 5% and 95% of a whole run's time on this machine, so most of
        // them interrupt a run however fast or loaded the machine is.
        let runTime = Date().timeIntervalSince(started)
        let old = try snapshot(dir)
        var state: UInt64 = 7, killedRuns = 0
        for _ in 0..<8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let delay = runTime * (0.05 + Double(state >> 40) / Double(1 << 24) * 0.9)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tinynnPath)
            p.arguments = train
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killedRuns += 1 }
            let outputs = try snapshot(dir).filter { !$0.key.hasPrefix(".") }
            #expect(Set(outputs.keys) == Set(old.keys))
            let info = try runProcess(tinynnPath, ["info", "o.tnn"], in: dir)
            #expect(info.status == 0, "\(info.stderr)")
            let now = try snapshot(dir)
            #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
            // All old, or all three from one uninterrupted seed-1 run: then that is the new "old".
            let h = String(decoding: now["o.h"]!, as: UTF8.self), o = try ModelFile.load("\(dir)/o.tnn")
            #expect(now == old || (o.training.seed == 1 && h.contains(ModelFile.hex(CHeader.parameterCRC(o.network)))))
        }
        #expect(killedRuns > 0, "no run was killed (a run took \(runTime) s)")
    }
}
