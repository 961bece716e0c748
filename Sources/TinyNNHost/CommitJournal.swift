#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the renames of an ``OutputSet`` one step, even across SIGKILL or a
/// power cut: POSIX renames one file at a time, so a process killed between
/// two renames would leave a new model beside an old header.
///
/// Before the first rename, a journal `.NAME.tinynn-commit` is written
/// (atomically, flushed) beside every target, each listing the whole set as
/// (temporary, target) pairs; then the temporaries are renamed; then the
/// journals are removed. The staged temporaries are complete and flushed
/// before any journal exists, so a journal always means "roll forward":
/// ``recover(_:)``, which every `tinynn` command runs in the directory of
/// each file it reads or writes before touching it, renames whatever
/// temporaries of the set are still there and removes the journals. A
/// reader of the outputs through `tinynn` therefore never sees a mix; on
/// disk, a mix exists only while a journal names it. The same recovery removes temporary files that a killed
/// process staged and never committed (their names carry its pid).
public enum CommitJournal {
    static let magic = "tinynn-commit-1"

    /// The journal beside `target`: `DIR/.NAME.tinynn-commit`.
    static func path(for target: String) -> String {
        let (dir, base) = split(target)
        return "\(dir)/.\(base).tinynn-commit"
    }

    /// Directory and base name of an absolute path.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// Whether `temporary` is a name ``FileIO`` stages for `target` (same
    /// directory, `.NAME.tmp-…`): a journal can only rename such files.
    static func isTemporary(_ temporary: String, of target: String) -> Bool {
        let (dir, base) = split(target), (tdir, tbase) = split(temporary)
        return dir == tdir && tbase.hasPrefix(".\(base).tmp-") && !tbase.contains("/")
    }

    /// Renames `pairs` as a set: journals first, then every rename, then the
    /// journals removed. SIGINT/SIGTERM/SIGHUP are held until it returns, so
    /// their handler cannot remove a temporary that a journal names.
    /// - Returns: nil when every file was renamed; else which output failed,
    ///   why, and whether anything was renamed (a journal that cannot be
    ///   written stops before the first rename; a failed rename does not stop
    ///   the others, so the set is as complete as the file system allows).
    static func commit(_ pairs: [(temporary: String, target: String)]) -> (index: Int, reason: String, renamed: Bool)? {
        var block = sigset_t(), old = sigset_t()
        sigemptyset(&block)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&block, s) }
        sigprocmask(SIG_BLOCK, &block, &old)
        defer { sigprocmask(SIG_SETMASK, &old, nil) }
        TestHook.step("staged")
        // The magic line, then temporary NUL target NUL per output (a path holds anything but NUL).
        var text = magic + "\n"
        for p in pairs { text += "\(p.temporary)\0\(p.target)\0" }
        var journals: [String] = []
        for p in pairs {
            let journal = path(for: p.target)
            // A journal that cannot be written leaves the set uncommitted: nothing renamed yet.
            do {
                let temporary = try FileIO.stage(Array(text.utf8), nextTo: journal, naming: journal)
                try FileIO.commit(temporary, to: journal, naming: journal)
            } catch {
                for j in journals { unlink(j) }
                return (0, "cannot write its commit journal: \(error)", false)
            }
            journals.append(journal)
            TestHook.step("journal")
        }
        var failure: (Int, String, Bool)?
        for (k, p) in pairs.enumerated() {
            // A temporary that is gone was renamed by a concurrent recovery (another tinynn reading this directory).
            if rename(p.temporary, p.target) != 0 {
                let why = FileIO.reason(), absent = errno == ENOENT && access(p.temporary, F_OK) != 0
                if !absent {
                    if failure == nil { failure = (k, why, true) }
                    unlink(p.temporary)
                }
            }
            TemporaryFiles.unregister(p.temporary)
            TestHook.step("rename")
        }
        for p in pairs { FileIO.syncDirectory(of: p.target) }
        for j in journals { unlink(j); TestHook.step("unjournal") }
        return failure
    }

    /// Finishes every set whose commit was interrupted in `target`'s
    /// directory (a journal there), and removes the temporaries that
    /// processes which no longer run staged there (`.NAME.tmp-PID-XXXXXX`).
    /// Never fails: whatever cannot be renamed is removed.
    public static func recover(_ target: String) {
        let (dir, _) = split(target)
        var journals: [String] = [], temporaries: [(path: String, pid: pid_t)] = []
        guard let d = opendir(dir) else { return }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard name.hasPrefix(".") else { continue }
            if name.hasSuffix(".tinynn-commit") { journals.append("\(dir)/\(name)") }
            if let pid = stagingProcess(name) { temporaries.append(("\(dir)/\(name)", pid)) }
        }
        closedir(d)
        for journal in journals { rollForward(journal) }
        for t in temporaries where t.pid != getpid() && kill(t.pid, 0) != 0 && errno == ESRCH { unlink(t.path) }
    }

    /// The pid in a temporary's name `.NAME.tmp-PID-XXXXXX`, or nil for other names.
    static func stagingProcess(_ name: String) -> pid_t? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 3].hasSuffix(".tmp"), parts[parts.count - 1].utf8.count == 6,
              let pid = pid_t(parts[parts.count - 2]), pid > 0 else { return nil }
        return pid
    }

    /// Renames every temporary a journal lists that is still there, then
    /// removes the journals of the set.
    static func rollForward(_ journal: String) {
        guard let bytes = try? FileIO.contents(of: journal, limit: 1 << 20, recovering: false) else { return }
        var targets: [String] = []
        let head = Array((magic + "\n").utf8)
        if bytes.starts(with: head) {
            let fields = bytes[head.count...].split(separator: 0, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            for k in stride(from: 0, to: fields.count - 1, by: 2) {
                let temporary = fields[k], target = fields[k + 1]
                guard isTemporary(temporary, of: target) else { continue }
                if access(temporary, F_OK) == 0, rename(temporary, target) != 0 { unlink(temporary) }
                targets.append(target)
            }
        }
        for t in targets { FileIO.syncDirectory(of: t) }
        for t in targets { unlink(path(for: t)) }
        unlink(journal)
    }
}

/// Test hook: with `TINYNN_TEST_KILL_AT_COMMIT_STEP=N` (or `N:SIGNAL`) the
/// process sends itself SIGKILL (or SIGNAL) at the N-th step of writing an
/// output set: after each output is staged, when all are, after each
/// journal is written, each rename, each journal removed. `BadInputTests`
/// stops a run at every step and checks that it left all old or all new.
enum TestHook {
    nonisolated(unsafe) static var steps = 0
    static let stop: (step: Int, signal: Int32)? = getenv("TINYNN_TEST_KILL_AT_COMMIT_STEP").flatMap { value in
        let parts = String(cString: value).split(separator: ":")
        guard let step = parts.first.flatMap({ Int($0) }) else { return nil }
        return (step, parts.count > 1 ? Int32(parts[1]) ?? SIGKILL : SIGKILL)
    }

    static func step(_ name: StaticString) {
        guard let stop else { return }
        steps += 1
        if steps == stop.step { kill(getpid(), stop.signal) }
    }
}
