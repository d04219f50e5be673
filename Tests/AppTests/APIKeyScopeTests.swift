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

    /// A gateway's readings key (CityNet issue 11 §6) sends readings for the sensors of its area only (others are
    /// `unknown_sensor`, as if not registered) and is refused with 403 everywhere else.
    @Test func aReadingsKeySendsOnlyForItsAreaAndIsRefusedElsewhere() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))  // Putuo, roads
            var station = VitalsFixtures.sensor("aq", kind: "air_quality", attributes: [("pm25", "GQ")])
            for field in ["lat", "long", "address"] { station[field] = nil }
            station["region_code"] = "310101"
            station["unit_code"] = "310101.eco_environment"
            try await VitalsFixtures.register(app, token: token, station)
            func key(_ name: String, _ scopes: Set<APIKeyScope>, _ area: ReadingArea?) async throws -> String {
                try await Access.createAPIKey(
                    name: name, scopes: scopes, readingArea: area, on: app.db, now: app.clock.now()
                ).1
            }
            let putuo = try await key("putuo gateway", [.readings], .region("310107"))
            let eco = try await key("eco gateway", [.readings], .unit("310101.eco_environment"))
            let open311 = try await key("city app", [.open311], nil)
            func headers(_ key: String) -> HTTPHeaders {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: "X-API-Key", value: key)
                headers.contentType = .json
                return headers
            }
            func send(_ key: String, minute: Double) async throws -> (HTTPStatus, [String]) {
                let at = TestApp.friday.addingTimeInterval(-600 + minute * 60)
                let body = try JSONSerialization.data(withJSONObject: [
                    "readings": [
                        VitalsFixtures.reading("deck", "surfaceTemperature", 5, at: at),
                        VitalsFixtures.reading("aq", "pm25", 40, at: at),
                    ]
                ])
                var result: (HTTPStatus, [String]) = (.internalServerError, [])
                try await app.testing().test(
                    .POST, "/api/v1/readings/batch", headers: headers(key), body: ByteBuffer(data: body)
                ) { res in
                    let codes =
                        res.status == .ok
                        ? try res.content.decode(BatchResultDTO.self).items.map { $0.error?.code ?? $0.status } : []
                    result = (res.status, codes)
                }
                return result
            }
            #expect(try await send(putuo, minute: 0) == (.ok, ["accepted", "unknown_sensor"]))
            #expect(try await send(eco, minute: 1) == (.ok, ["unknown_sensor", "accepted"]))
            #expect(try await send(open311, minute: 2).0 == .forbidden)
            #expect(try await send("not a key", minute: 3).0 == .unauthorized)
            #expect(try await VitalsFixtures.count(app, "readings") == 2)

            for path in ["/api/v1/alarms", "/api/v1/sensors/deck", "/api/v1/cases"] {
                try await app.testing().test(.GET, path, headers: headers(putuo)) { res in
                    #expect(res.status == .forbidden, "\(path)")
                    #expect(res.body.string.contains("API key 'putuo gateway' cannot be used here"))
                }
            }
            #expect(try await HotlineAPITests.post(app, key: putuo, Self.call).0 == .forbidden)
            try await Open311IntakeTests.post(app, Self.open311Fields.merging(["api_key": putuo]) { a, _ in a }) {
                res in
                #expect(res.status == .forbidden)
            }
            // A readings key needs an area, and only a readings key has one.
            await #expect(throws: AccessError.readingArea) { try await key("no area", [.readings], nil) }
            await #expect(throws: AccessError.readingArea) { try await key("odd", [.open311], .region("310107")) }
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
