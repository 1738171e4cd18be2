import Foundation

/// The host's planted defects that reach this build. Read from the environment directly: the
/// fuzzer must not link the host's machinery (DSTHostCore) just to parse one variable.
public enum PlantedDefectSwitch {
    /// The variable and the value the host uses too (`PlantedDefect.trustWireLength`).
    public static let variable = "DST_PLANTED_DEFECT"
    /// "A length trusted from the wire": the front end reserves a declared bulk length before
    /// its bytes arrive.
    public static let trustWireLength = "trust_wire_length"

    /// True when `DST_PLANTED_DEFECT=trust_wire_length` is set for this process.
    public static var trustsWireLength: Bool {
        ProcessInfo.processInfo.environment[variable] == trustWireLength
    }
}
