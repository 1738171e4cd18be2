/// One live row of the `keys` table.
struct KeyRecord: Equatable {
    /// `keys.id`: the `key_id` of the key's rows in its type's table.
    let id: Int64
    let type: KeyType
    /// Unix milliseconds, or nil for no expiry.
    let expireAt: Int64?
    /// Bumped on every write; WATCH compares it.
    let version: Int64
}
