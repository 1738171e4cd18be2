/// The two targets the libFuzzer build shares with the seeded Fuzz suite
/// (`dst-host fuzz --target resp_parser|command_handler`), under the same names.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Bytes fed to the engine's RESP front end (``FrontEndHarness``).
    case respParser = "resp_parser"
    /// Commands, decoded from bytes (``ArgvStream``), run on the engine (``CommandHandlerHarness``).
    case commandHandler = "command_handler"
}
