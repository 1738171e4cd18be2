/// One measured quantity over the run: a value per sample, at seconds since the run started.
public struct Series: Sendable, Equatable {
    /// One sample.
    public struct Point: Sendable, Equatable {
        /// Seconds since the start of the load.
        public var time: Double
        /// The value, in the series' unit.
        public var value: Double

        /// A sample of `value` at `time` seconds.
        public init(time: Double, value: Double) {
            self.time = time
            self.value = value
        }
    }

    /// What is measured, e.g. "RSS".
    public var name: String
    /// The unit of the values, e.g. "bytes", "fds", "ops/s".
    public var unit: String
    /// In time order.
    public var points: [Point]

    /// A series named `name` in `unit`.
    public init(name: String, unit: String, points: [Point] = []) {
        self.name = name
        self.unit = unit
        self.points = points
    }

    /// Adds a sample at the end.
    public mutating func append(time: Double, value: Double) {
        points.append(Point(time: time, value: value))
    }

    /// The samples taken at or after `time`.
    public func from(time: Double) -> Series {
        Series(name: name, unit: unit, points: points.filter { $0.time >= time })
    }

    /// The same series with every value multiplied by `factor`, in `unit`: for charts, which
    /// read better in MiB than in bytes.
    public func scaled(by factor: Double, unit: String) -> Series {
        Series(name: name, unit: unit, points: points.map { Point(time: $0.time, value: $0.value * factor) })
    }

    /// The values alone.
    public var values: [Double] { points.map(\.value) }
}
