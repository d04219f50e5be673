import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Helpers for the bundle suites: complete forms, starting, reading and driving legs through a caseworker's desk.
enum BundleFixtures {
    static func file(_ code: String) -> [String: Any] {
        ["code": code, "file_name": "\(code).pdf", "content_base64": GovFixtures.pdf]
    }

    /// A complete newborn form in Pudong with every upload and the consent.
    static func newborn(token: String? = nil) -> [String: Any] {
        var body: [String: Any] = [
            "bundle_code": "newborn", "region_code": "310115", "consent": true,
            "fields": [
                "child_name": "张小宝", "child_sex": "女", "birth_date": "2024-09-20", "birth_place": "浦东新区妇幼保健院",
                "guardian_phone": "13800138000",
            ],
            "materials": [
                "birth_record", "declaration", "photo", "enrolment_form", "invoices", "discharge_summary", "bank_card",
            ].map(file),
        ]
        if let token { body["client_token"] = token }
        return body
    }

    /// A complete restaurant form in Pudong.
    static func restaurant() -> [String: Any] {
        [
            "bundle_code": "restaurant", "region_code": "310115", "consent": true,
            "fields": ["shop_name": "小杨生煎", "premises_address": "浦东新区世纪大道100号", "operator_phone": "13900139000"],
            "materials": [
                "premises", "application_form", "layout", "safety_rules", "sign_design", "drainage_plan",
                "grease_trap",
            ].map(file),
        ]
    }

    /// Starts a bundle with `key`; expects `status`; returns the answer.
    static func start(
        _ app: Application, citizen: String, body: [String: Any], key: String = "b-1", status: HTTPStatus = .created
    ) async throws -> BundleApplicationDTO? {
        var result: BundleApplicationDTO?
        try await GovFixtures.send(
            app, .POST, "/api/v1/me/bundle-applications", token: citizen, body: body,
            headers: ["Idempotency-Key": key]
        ) { res in
            #expect(res.status == status, "\(res.body.string)")
            if res.status.code < 300 { result = try res.content.decode(BundleApplicationDTO.self) }
        }
        return result
    }

    static func read(_ app: Application, citizen: String, id: UUID) async throws -> BundleApplicationDTO {
        var result: BundleApplicationDTO?
        try await GovFixtures.send(app, .GET, "/api/v1/me/bundle-applications/\(id)", token: citizen) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            result = try res.content.decode(BundleApplicationDTO.self)
        }
        return try #require(result)
    }

    static func states(_ dto: BundleApplicationDTO) -> [String: String] {
        Dictionary(uniqueKeysWithValues: dto.legs.map { ($0.itemCode, $0.state) })
    }

    /// A caseworker of each unit, signed in once.
    final class Desks: @unchecked Sendable {
        // @unchecked Sendable: used by one test task only.
        let app: Application
        var tokens: [String: String] = [:]
        init(_ app: Application) { self.app = app }

        func token(for unit: String) async throws -> String {
            if let token = tokens[unit] { return token }
            let token = try await TestApp.login(
                app, username: "w.\(unit)", unit: unit, role: .caseworker)
            tokens[unit] = token
            return token
        }

        /// Takes `actions` on the leg's current application at its own department's desk.
        func act(_ leg: BundleApplicationDTO.Leg, _ actions: [String], reason: String? = nil) async throws {
            let token = try await token(for: leg.unitCode)
            let id = try #require(leg.applicationId)
            for action in actions {
                var body: [String: Any] = ["action": action]
                if let reason { body["reason"] = reason }
                try await GovFixtures.send(
                    app, .POST, "/api/v1/gov/applications/\(id)/actions", token: token, body: body
                ) { res in #expect(res.status == .ok, "\(action): \(res.body.string)") }
            }
        }

        func approve(_ leg: BundleApplicationDTO.Leg) async throws {
            try await act(leg, ["accept", "review", "approve"])
        }
    }

    static func leg(_ dto: BundleApplicationDTO, _ item: String) throws -> BundleApplicationDTO.Leg {
        try #require(dto.legs.first { $0.itemCode == item })
    }
}
