import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Valid Open311 API keys seen recently, so that intake does not read the `api_keys` table on every request.
/// Keyed by the SHA-256 of the key; entries live `lifetime` seconds (60 s), so a key revoked in the database stops
/// working within a minute. Unknown keys are never cached: every wrong key is checked against the database.
final class APIKeyCache: Sendable {
    /// A live key: its id, name and what it may be used for.
    struct Key: Sendable {
        let id: UUID?
        let name: String
        let scopes: Set<APIKeyScope>
        /// The sensors a `readings` key may send for.
        var readingArea: ReadingArea? = nil
    }

    struct Entry: Sendable {
        let key: Key
        let expires: Date
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 60) { self.lifetime = lifetime }

    /// The live key for `plaintext`, or nil.
    func lookup(_ plaintext: String, on db: any Database, now: Date) async throws -> Key? {
        let digest = Access.digest(plaintext)
        if let entry = entries.withLockedValue({ $0[digest] }), entry.expires > now { return entry.key }
        guard let key = try await APIKey.query(on: db).filter(\.$keyHash == digest).filter(\.$revoked == false).first()
        else { return nil }
        let found = Key(
            id: key.id, name: key.name, scopes: key.scopes.scopes,
            readingArea: key.readingArea.flatMap(ReadingArea.init(stored:)))
        let entry = Entry(key: found, expires: now.addingTimeInterval(lifetime))
        entries.withLockedValue { cache in
            if cache.count > 10_000 { cache.removeAll() }  // bounded: keys are few, this only guards misuse
            cache[digest] = entry
        }
        return found
    }
}

extension Application {
    private struct APIKeyCacheKey: StorageKey { typealias Value = APIKeyCache }

    /// The app's API key cache; installed by `configure`.
    var apiKeys: APIKeyCache {
        get {
            storage.required(APIKeyCacheKey.self)
        }
        set { storage[APIKeyCacheKey.self] = newValue }
    }
}
