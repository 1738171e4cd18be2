import Testing
@testable import RedisClient
