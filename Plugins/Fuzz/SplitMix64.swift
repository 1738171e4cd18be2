import DSTPluginSDK

/// The fuzzer's random stream is the SDK's `SplitMix64`: every decision of an input is drawn
/// from it, never from `Int.random(in:)` or a `Dictionary`'s order.
extension SplitMix64 {
    /// The stream of input `index` under `base`: each input can be regenerated from
    /// `(base, index)` alone, without drawing the inputs before it.
    static func forInput(base: UInt64, index: Int) -> SplitMix64 {
        derived(base: base, index: index)
    }
}
