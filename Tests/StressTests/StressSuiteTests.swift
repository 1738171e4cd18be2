import Testing
@testable import Stress
