import Vapor

extension Storage {
    /// The value `configure(_:config:)` installed under `key`. A missing one is a programming error (a service
    /// used before the app was configured), so it stops the process with the key's name.
    func required<Key: StorageKey>(_ key: Key.Type) -> Key.Value {
        guard let value = self[key] else { fatalError("\(Key.self) used before configure(_:config:) installed it") }
        return value
    }
}
