/// One target's harness, chosen at run time: what both entry points (libFuzzer's
/// `LLVMFuzzerTestOneInput` and the corpus replayer) call for each input.
public struct HarnessRunner {
    /// The target this runner runs.
    public let target: FuzzTarget
    private let frontEnd: FrontEndHarness?
    private let handler: CommandHandlerHarness?

    /// The harness of `target`; the planted defect as the environment says.
    public init(_ target: FuzzTarget) throws {
        self.target = target
        switch target {
        case .respParser:
            frontEnd = try FrontEndHarness()
            handler = nil
        case .commandHandler:
            frontEnd = nil
            handler = try CommandHandlerHarness()
        }
    }

    /// The rules one input made the engine break, in words; empty when none.
    public func violations(_ input: some Collection<UInt8>) -> [String] {
        if let frontEnd { return frontEnd.run(input).violations }
        return handler!.run(input).violations
    }

    /// Whether the planted defect is on for this run (it only reaches `resp_parser`).
    public var plantedDefect: String? {
        frontEnd?.trustsDeclaredLengths == true ? PlantedDefectSwitch.trustWireLength : nil
    }
}
