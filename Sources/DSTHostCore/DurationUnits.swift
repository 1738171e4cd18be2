/// Whole units of a `Duration`, and one from the command line's seconds, written once.
extension Duration {
    public var wholeMicroseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// `--timeout 2.5` as a duration.
    public static func seconds(commandLine value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }
}
