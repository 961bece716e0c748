#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files a process has staged and not yet renamed or removed,
/// kept where a signal handler can reach them: on SIGINT, SIGTERM or SIGHUP
/// the handler unlinks each (unlink is async-signal-safe), then lets the
/// signal kill the process as it would have, so an interrupted run leaves no
/// `.NAME.tmp-PID-XXXXXX` behind. A signal the process was started with
/// ignored (`nohup`'s SIGHUP) stays ignored.
enum TemporaryFiles {
    static let capacity = 64
    /// C strings (malloc'd) or nil; written only outside the handler, read by it.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) static var installed = false

    static func register(_ path: String) {
        for k in 0..<capacity where slots[k] == nil {
            slots[k] = strdup(path)
            return
        }
    }

    static func unregister(_ path: String) {
        for k in 0..<capacity {
            if let p = slots[k], String(cString: p) == path {
                slots[k] = nil
                free(p)
            }
        }
    }

    /// Installs the handlers once, before the first temporary file exists.
    static func installHandlers() {
        guard !installed else { return }
        installed = true
        for s in [SIGINT, SIGTERM, SIGHUP] {
            // A signal the parent ignores (nohup's SIGHUP) stays ignored: it would not have ended the process.
            guard !isIgnored(s) else { continue }
            signal(s, { sig in
                for k in 0..<TemporaryFiles.capacity {
                    if let p = TemporaryFiles.slots[k] { unlink(p) }
                }
                signal(sig, SIG_DFL)
                raise(sig)
            })
        }
    }

    /// Whether signal `s` is set to SIG_IGN (the value 1 in C).
    static func isIgnored(_ s: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(s, nil, &current) == 0 else { return false }
        #if canImport(Glibc)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1
        #else
        return unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self) == 1
        #endif
    }
}
