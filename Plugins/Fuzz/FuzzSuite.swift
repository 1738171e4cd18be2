// libFuzz.so: seeded, reproducible mutation fuzzing of the engine's RESP front end and command
// handler. (Being written.)
import DSTPluginSDK
