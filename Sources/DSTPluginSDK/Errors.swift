/// An error the host reported (a status below zero), or a malformed answer from it.
///
/// Thrown out of a test body, it fails the run with "test threw: <description>", except for
/// `DST_ERR_CANCELLED`, which ends the run quietly with that status: the host already knows
/// why it cancelled.
public struct SDKError: Error, Sendable, CustomStringConvertible {
    /// The host's status code (always < 0), e.g. `DST_ERR_ENGINE`.
    public let status: dst_status
    /// What was being done, e.g. "engine_open(file data.db)".
    public let message: String

    /// An error with `status` and `message`.
    public init(_ status: dst_status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// `true` when the host cancelled the run (deadline or interrupt).
    public var isCancellation: Bool { status == DST_ERR_CANCELLED }

    /// `true` when the host cannot do this here (`DST_ERR_UNSUPPORTED`): no reference server,
    /// an integrity check of a RESP target's file, a slot an older host lacks.
    public var isUnsupported: Bool { status == DST_ERR_UNSUPPORTED }

    /// "message (DST_ERR_ENGINE)".
    public var description: String { "\(message) (\(SDKError.name(of: status)))" }

    /// The header's name for a status code, so logs say `DST_ERR_ENGINE` rather than -3.
    public static func name(of status: dst_status) -> String {
        switch status {
        case DST_OK: return "DST_OK"
        case DST_FAIL: return "DST_FAIL"
        case DST_SKIP: return "DST_SKIP"
        case DST_ERR_INVALID_ARGUMENT: return "DST_ERR_INVALID_ARGUMENT"
        case DST_ERR_UNSUPPORTED: return "DST_ERR_UNSUPPORTED"
        case DST_ERR_ENGINE: return "DST_ERR_ENGINE"
        case DST_ERR_NOT_FOUND: return "DST_ERR_NOT_FOUND"
        case DST_ERR_CANCELLED: return "DST_ERR_CANCELLED"
        case DST_ERR_INTERNAL: return "DST_ERR_INTERNAL"
        case DST_ERR_DEADLOCK: return "DST_ERR_DEADLOCK"
        default: return "status \(status)"
        }
    }
}

/// Thrown from a test body to end the run as skipped (`DST_SKIP`): the test cannot run in
/// this configuration. The reason is logged, so a skipped run still says why.
public struct Skip: Error, Sendable, CustomStringConvertible {
    /// Why the test did not run.
    public let reason: String

    /// A skip with `reason`.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}

/// Thrown by ``TestRun/require(_:_:file:line:)`` after it has recorded the failure, so the
/// trampoline knows the failure is already reported and does not report it a second time.
struct RequirementFailure: Error {}
