import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Helpers for the status-code suites: source keys, facts, the citizen's status and code, the checkpoint's files.
enum StatusFixtures {
    /// One API key per outside source.
    static func sourceKeys(_ app: Application) async throws -> [FactSource: String] {
        [
            .govRegister: try await TestApp.apiKey(app, name: "health register", scopes: [.factsGovRegister]),
            .carrier: try await TestApp.apiKey(app, name: "carrier", scopes: [.factsCarrier]),
            .transit: try await TestApp.apiKey(app, name: "metro", scopes: [.factsTransit]),
        ]
    }

    /// A fact item about `number`, observed `ago` seconds before `now`.
    static func fact(
        _ id: String, number: String = GovFixtures.identityNumber(), kind: String, value: String, ago: TimeInterval,
        now: Date, expiresIn: TimeInterval? = nil
    ) -> [String: Any] {
        var item: [String: Any] = [
            "source_id": id, "identity_number": number, "kind": kind, "value": value,
            "observed_at": Timestamps.format(now.addingTimeInterval(-ago)),
        ]
        if let expiresIn { item["expires_at"] = Timestamps.format(now.addingTimeInterval(expiresIn)) }
        return item
    }

    /// Posts facts from `source` with `key`; returns the status and the batch result.
    @discardableResult
    static func send(_ app: Application, _ source: FactSource, key: String?, _ facts: [[String: Any]]) async throws
        -> (HTTPStatus, BatchResultDTO?)
    {
        var out: (HTTPStatus, BatchResultDTO?) = (.ok, nil)
        try await app.testing().test(
            .POST, "/api/v1/status-facts/\(source.rawValue)",
            beforeRequest: { req in
                if let key { req.headers.add(name: "X-API-Key", value: key) }
                req.headers.contentType = .json
                req.body = try GovFixtures.json(["facts": facts])
            },
            afterResponse: { res in out = (res.status, try? res.content.decode(BatchResultDTO.self)) })
        return out
    }

    static func status(_ app: Application, token: String) async throws -> MyStatusDTO {
        var dto: MyStatusDTO?
        try await app.testing().test(
            .GET, "/api/v1/me/status", headers: .bearer(token),
            afterResponse: { res in
                #expect(res.status == .ok, "\(res.body.string)")
                dto = try res.content.decode(MyStatusDTO.self)
            })
        return try #require(dto)
    }

    static func code(_ app: Application, token: String) async throws -> StatusCodeDTO {
        var dto: StatusCodeDTO?
        try await app.testing().test(
            .POST, "/api/v1/me/status-code", headers: .bearer(token),
            afterResponse: { res in
                #expect(res.status == .ok, "\(res.body.string)")
                dto = try res.content.decode(StatusCodeDTO.self)
            })
        return try #require(dto)
    }

    /// The checkpoint's cache: the published keys and the current revocation list, fetched over HTTP.
    static func checkpoint(_ app: Application, withList: Bool = true) async throws -> StatusCodeVerifier {
        var keys: LicenceKeySet?
        var list: String?
        try await app.testing().test(
            .GET, "/api/v1/status-code-keys",
            afterResponse: { res in keys = try JSONDecoder().decode(LicenceKeySet.self, from: Data(buffer: res.body)) })
        if withList {
            try await app.testing().test(
                .GET, "/api/v1/status-code-revocations",
                afterResponse: { res in list = try res.content.decode(StatusRevocationsDTO.self).list })
        }
        return try await StatusCodeVerifier(keys: try #require(keys), revocationList: list)
    }
}
