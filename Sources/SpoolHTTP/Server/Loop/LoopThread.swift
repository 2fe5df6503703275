import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached POSIX thread that runs one closure, for an event loop that owns its thread for its life.
enum LoopThread {
    private final class Body {
        let name: String
        let run: () -> Void
        init(name: String, _ run: @escaping () -> Void) {
            self.name = name
            self.run = run
        }
    }

    /// Starts `body` on a new detached thread called `name` (at most 15 characters, as `top -H` shows it).
    /// `body` need not be `Sendable`: it is handed over whole, and the calling thread keeps no reference to it or
    /// to what it captures (see `EventLoop.start`).
    static func start(name: String, _ body: @escaping () -> Void) throws(SystemCallError) {
        let box = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let body = Unmanaged<Body>.fromOpaque(argument).takeRetainedValue()
            _ = pthread_setname_np(pthread_self(), String(body.name.prefix(15)))
            body.run()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SystemCallError(call: "pthread_create", errno: result, subject: "event loop")
        }
        pthread_detach(thread)
    }
}
