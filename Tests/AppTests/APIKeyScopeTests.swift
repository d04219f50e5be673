import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// API keys are scoped: an Open311 client's key cannot send 12345 calls (they carry callers' names and phone
/// numbers), and the hotline gateway's key cannot submit Open311 requests.
@Suite struct APIKeyScopeTests {
    static let open311Fields = [
        "service_code": "noise.dog_barking", "lat": "31.2304", "long": "121.4737", "description": "夜里狗一直叫",
    ]
    static let call = ["text": "南京东路街道有人乱扔垃圾", "channel": "phone"]

    @Test func eachKeyDoesOnlyWhatItsScopesSay() async throws {
        try await TestApp.withApp { app, _ in
            let open311 = try await TestApp.apiKey(app, name: "city app", scopes: [.open311])
            let hotline = try await TestApp.apiKey(app, name: "12345 gateway", scopes: [.hotline])

            let (refused, _, message) = try await HotlineAPITests.post(app, key: open311, Self.call)
            #expect(refused == .forbidden)
            #expect(message.contains("API key 'city app' is not a 12345 hotline key"))
            let (accepted, _, _) = try await HotlineAPITests.post(app, key: hotline, Self.call)
            #expect(accepted == .created)

            try await Open311IntakeTests.post(app, Self.open311Fields.merging(["api_key": hotline]) { a, _ in a }) {
                res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("may not submit Open311 service requests"))
            }
            try await Open311IntakeTests.post(app, Self.open311Fields.merging(["api_key": open311]) { a, _ in a }) {
                res in
                #expect(res.status == .created)
            }
        }
    }

    @Test func keysFromBeforeScopesKeepBothAndNewRowsGetOpen311() async throws {
        try await TestApp.withApp { app, _ in
            // One connection throughout: on the in-memory SQLite, another pooled connection may not yet see the
            // dropped column when the migration adds it back (a flaky "duplicate column name" under load).
            try await app.db.withConnection { db in
                // The table as an older CityNet had it, with one key in it; then the migration.
                try await AddAPIKeyScopes().revert(on: db)
                let sql = try #require(db as? any SQLDatabase)
                func insert(_ name: String, secret: String) async throws {
                    try await sql.raw(
                        """
                        INSERT INTO "api_keys" ("id", "name", "key_hash", "created_at", "revoked")
                        VALUES (\(bind: UUID()), \(bind: name), \(bind: Access.digest(secret)), \(bind: Date()), \(bind: false))
                        """
                    ).run()
                }
                try await insert("old gateway", secret: "old-secret")
                try await AddAPIKeyScopes().prepare(on: db)
                let old = try await app.apiKeys.lookup("old-secret", on: db, now: app.clock.now())
                #expect(old?.scopes == [.open311, .hotline])
                // A row written without scopes now (by code that forgot them) gets only open311.
                try await insert("forgetful", secret: "new-secret")
                let new = try await app.apiKeys.lookup("new-secret", on: db, now: app.clock.now())
                #expect(new?.scopes == [.open311])
            }
        }
    }

    @Test func aKeyNeedsAScope() async throws {
        try await TestApp.withApp { app, _ in
            await #expect(throws: AccessError.noScope) {
                try await Access.createAPIKey(name: "nothing", scopes: [], on: app.db, now: app.clock.now())
            }
        }
    }
}
