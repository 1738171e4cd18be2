import Synchronization

/// An engine a ``SharedEngineTable`` holds: it can be closed from any thread.
protocol SharedEngine: AnyObject, Sendable {
    func close()
}

/// Engines that plugin threads reach by handle address (threaded engines, RESP target
/// clients), under one lock held only for the lookup: calls then run under each engine's
/// own lock. A handle is the engine's address, so a stale or foreign one finds nothing.
final class SharedEngineTable<Engine: SharedEngine>: Sendable {
    private let engines = Mutex<[UInt: Engine]>([:])

    /// Adds `engine` and returns its handle.
    func insert(_ engine: Engine) -> UnsafeMutableRawPointer {
        let pointer = Unmanaged.passUnretained(engine).toOpaque()
        engines.withLock { $0[UInt(bitPattern: pointer)] = engine }
        return pointer
    }

    func engine(_ handle: OpaquePointer?) -> Engine? {
        guard let handle else { return nil }
        let key = UInt(bitPattern: UnsafeMutableRawPointer(handle))
        return engines.withLock { $0[key] }
    }

    /// Forgets the engine behind `handle` and returns it (nil for a handle not in the table).
    func remove(_ handle: OpaquePointer?) -> Engine? {
        guard let handle else { return nil }
        let key = UInt(bitPattern: UnsafeMutableRawPointer(handle))
        return engines.withLock { $0.removeValue(forKey: key) }
    }

    /// Forgets every engine and returns them.
    func removeAll() -> [Engine] {
        engines.withLock { engines in
            defer { engines.removeAll() }
            return Array(engines.values)
        }
    }

    /// Forgets the engine behind `handle` and closes it; false for a handle not in the table.
    func close(_ handle: OpaquePointer?) -> Bool {
        guard let engine = remove(handle) else { return false }
        engine.close()
        return true
    }

    /// Forgets and closes every engine.
    func closeAll() {
        for engine in removeAll() { engine.close() }
    }
}
