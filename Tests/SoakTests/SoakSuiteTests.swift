import Testing
@testable import Soak
