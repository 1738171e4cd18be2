// libOracle.so: differential testing of the Redlite engine against a real Redis server.
// (Being written.)
import DSTPluginSDK
