/// Whole units of a `Duration`, and one from the command line's seconds, written once.
extension Duration {
    public var wholeMicroseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// `--timeout 2.5` as a duration.
    public static func seconds(commandLine value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }
}

extension Duration {
    /// `--duration 30`, `30s`, `10m`, `1h`, `1h30m`: whole seconds, minutes and hours; nil when
    /// malformed, zero or negative.
    public init?(commandLine text: String) {
        var total: Int64 = 0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int64(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            // A bare number is seconds, but not after units ("1h30" is ambiguous).
            guard !sawUnit, let value = Int64(number) else { return nil }
            total += value
        }
        guard total > 0 else { return nil }
        self = .seconds(total)
    }
}
