import Glibc

/// A POSIX thread running one closure, joined explicitly.
///
/// For load tests that drive threaded engines (``EngineOptions/threaded()``). pthreads rather
/// than Foundation's Thread: a plugin need not link Foundation, and a load worker needs nothing
/// but start and join (with a stack SQLite and the engine are comfortable on: glibc gives the
/// stack size limit, usually 8 MiB, where Foundation's Thread gives 512 KiB). The test must join every
/// worker before it returns: the host closes the run's engines once the test body is done.
public final class WorkerThread {
    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread.
    public init(_ body: @escaping @Sendable () -> Void) throws {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SDKError(DST_ERR_INTERNAL, "pthread_create failed with \(status)")
        }
    }

    /// Waits for the body to return. Joining twice is harmless.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    private final class Body {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
