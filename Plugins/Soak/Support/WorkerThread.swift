import Glibc
import DSTPluginSDK

/// A POSIX thread running one closure, joined explicitly.
///
/// pthreads rather than Foundation's Thread: the plugin does not link Foundation, and a load
/// worker needs nothing but start and join. The test must join every worker before it
/// returns: the host closes the run's engines once the test body is done.
final class WorkerThread {
    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) throws {
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
    func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    private final class Body {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// Sleeps for `nanoseconds` (nothing when zero or less), resuming after signals.
func sleep(nanoseconds: Int64) {
    guard nanoseconds > 0 else { return }
    var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
