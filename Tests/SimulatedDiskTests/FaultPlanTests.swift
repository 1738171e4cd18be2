import Testing
@testable import SimulatedDisk
