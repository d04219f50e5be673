import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// A `citynet serve` process killed with SIGKILL in the middle of a stream of bundle starts and approvals (issue
/// #14 §3): after the restart every acknowledged bundle has exactly its legs (none lost, none doubled), a bundle
/// is there whole or not at all, and the waiting legs of every approved first leg were released exactly once; the
/// stream sent again (same keys) makes no second bundle and, once every first leg is approved, every bundle has one
/// application per leg. SQLite only (a child process on a temporary file), as `IngestCrashTests`.
@Suite(.serialized, .disabled(if: TestNodes.postgresURL != nil, "runs a serve process on a SQLite file"))
struct BundleCrashTests {
    static let bundles = 40
    /// Bundle starts acknowledged before the kill.
    static let killAfter = 10
    static let worker = "crash.market"

    static func start(_ k: Int) throws -> String {
        var body = BundleFixtures.restaurant()
        body["client_token"] = "crash-\(k)"
        return String(decoding: try JSONSerialization.data(withJSONObject: body, options: .sortedKeys), as: UTF8.self)
    }

    /// A migrated database file with the caseworker of Pudong's market regulation.
    static func prepare(_ path: String) async throws {
        try await TestApp.withApp(sqliteFile: path) { app, _ in
            _ = try await Access.createOperator(
                username: worker, password: "correct horse 1", unitCode: "310115.market_regulation",
                role: .caseworker, reference: app.reference, on: app.db, now: Date())
        }
    }

    static func citizen(_ server: ServeProcess) async throws -> String {
        let number = GovFixtures.identityNumber()
        let registration =
            #"{"name":"王五","identity_number":"\#(number)","phone":"13800138000","password":"correct horse 1"}"#
        #expect(try await server.request(.POST, "/api/v1/citizens", body: registration).0 == .accepted)
        return try await signIn(server, number: number)
    }

    static func signIn(_ server: ServeProcess, number: String = GovFixtures.identityNumber()) async throws -> String {
        let (status, body) = try await server.request(
            .POST, "/api/v1/citizen-sessions",
            body: #"{"identity_number":"\#(number)","password":"correct horse 1"}"#)
        try #require(status == .ok, "\(body)")
        struct Session: Decodable { var token: String }
        return try JSONDecoder().decode(Session.self, from: Data(body.utf8)).token
    }

    /// The part of a bundle application the test follows.
    struct Answer: Decodable {
        struct Leg: Decodable {
            var itemCode: String
            var state: String
            var applicationId: UUID?
            enum CodingKeys: String, CodingKey {
                case state
                case itemCode = "item_code"
                case applicationId = "application_id"
            }
        }
        var id: UUID
        var legs: [Leg]
    }

    /// Starts bundle `k`; returns it when acknowledged (201 or 200).
    static func start(_ k: Int, server: ServeProcess, citizen: String) async -> Answer? {
        guard let body = try? start(k),
            let (status, text) = try? await server.request(
                .POST, "/api/v1/me/bundle-applications", body: body, token: citizen),
            status == .created || status == .ok
        else { return nil }
        return try? JSONDecoder().decode(Answer.self, from: Data(text.utf8))
    }

    /// Takes the first leg (the business licence) from `state` to approved; true when the approval was answered.
    static func approve(
        _ application: UUID, from state: String, server: ServeProcess, worker: String
    ) async -> Bool {
        let steps =
            [
                "submitted": ["accept", "review", "approve"], "accepted": ["review", "approve"],
                "under_review": ["approve"],
            ][state] ?? []
        for action in steps {
            guard
                let (status, _) = try? await server.request(
                    .POST, "/api/v1/gov/applications/\(application)/actions", body: #"{"action":"\#(action)"}"#,
                    token: worker),
                status == .ok
            else { return false }
        }
        return !steps.isEmpty
    }

    /// What the file holds per bundle: its legs, how many applications carry its leg tokens, and its first leg's
    /// state.
    struct Stored: Equatable {
        var legs: Int
        var applications: Int
        var released: Int
        var attempts: [Int]
        var firstLeg: String?
    }

    static func stored(_ path: String) async throws -> [UUID: Stored] {
        var result: [UUID: Stored] = [:]
        try await TestApp.withApp(sqliteFile: path) { app, _ in
            for bundle in try await GovBundle.query(on: app.db).all() {
                let id = try bundle.requireID()
                let legs = try await GovBundleLeg.query(on: app.db).filter(\.$bundleID == id).all()
                let applications = try await GovApplication.query(on: app.db)
                    .filter(\.$clientToken, .custom("LIKE"), "bundle:\(id):%").all()
                let first = legs.first { $0.itemCode == "SH-SC-0001" }?.applicationID
                result[id] = Stored(
                    legs: legs.count, applications: applications.count,
                    released: legs.filter { $0.applicationID != nil }.count, attempts: legs.map(\.attempt).sorted(),
                    firstLeg: applications.first { $0.id == first }?.state.rawValue)
            }
        }
        return result
    }

    @Test func killedMidStreamLosesAndDoublesNoLeg() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citynet-bundle-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("serve.log")
        let path = directory.appendingPathComponent("bundles.sqlite").path
        try await Self.prepare(path)

        let first = try await ServeProcess(database: path, log: log)
        let citizen = try await Self.citizen(first)
        let worker = try await first.login(username: Self.worker, password: "correct horse 1")
        // One stream: start bundle k, then approve bundle k−1's first leg (which releases its three waiting legs).
        let started = NIOLockedValueBox<[Int: Answer]>([:])
        let approved = NIOLockedValueBox<Set<Int>>([])
        let sender = Task {
            for k in 0..<Self.bundles {
                guard let dto = await Self.start(k, server: first, citizen: citizen) else { return }
                started.withLockedValue { $0[k] = dto }
                guard k > 0, let previous = started.withLockedValue({ $0[k - 1] }),
                    let leg = previous.legs.first(where: { $0.itemCode == "SH-SC-0001" })?.applicationId
                else { continue }
                guard await Self.approve(leg, from: "submitted", server: first, worker: worker) else { return }
                approved.withLockedValue { _ = $0.insert(k - 1) }
            }
        }
        let stop = ContinuousClock.now + .seconds(120)
        while started.withLockedValue({ $0.count }) < Self.killAfter, ContinuousClock.now < stop {
            try await Task.sleep(for: .milliseconds(1))
        }
        // A little later each run, so that the kill lands in a start, an acceptance, a review or an approval.
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...600)))
        first.kill()
        await sender.value
        let acknowledged = started.withLockedValue { $0 }
        let approvals = approved.withLockedValue { $0 }
        #expect(acknowledged.count >= Self.killAfter)
        #expect(acknowledged.count < Self.bundles, "the kill came after the whole stream")

        // After the kill: every acknowledged bundle is there; every stored bundle is whole (4 legs); a leg has an
        // application exactly when released, once; the 3 waiting legs are released exactly when the first is approved.
        let afterKill = try await Self.stored(path)
        print(
            "bundle crash: \(acknowledged.count) starts and \(approvals.count) approvals acknowledged before the kill; "
                + "\(afterKill.count) bundles stored, \(afterKill.values.filter { $0.released == 4 }.count) with "
                + "their waiting legs released")
        for (k, dto) in acknowledged { #expect(afterKill[dto.id] != nil, "bundle \(k) lost") }
        for (k, dto) in acknowledged where approvals.contains(k) {
            #expect(afterKill[dto.id]?.firstLeg == "approved", "approval of bundle \(k) lost")
        }
        for (id, bundle) in afterKill {
            #expect(bundle.legs == 4, "\(id)")
            #expect(bundle.applications == bundle.released, "\(id): \(bundle)")
            let approvedFirst = bundle.firstLeg == "approved"
            #expect(bundle.released == (approvedFirst ? 4 : 1), "\(id): \(bundle)")
            #expect(bundle.attempts == (approvedFirst ? [1, 1, 1, 1] : [0, 0, 0, 1]), "\(id): \(bundle)")
        }

        // Restarted, the client sends the whole stream again with the same keys, then approves every first leg not
        // yet approved.
        let second = try await ServeProcess(database: path, log: log)
        let again = try await Self.signIn(second)
        let worker2 = try await second.login(username: Self.worker, password: "correct horse 1")
        var ids: Set<UUID> = []
        for k in 0..<Self.bundles {
            let dto = try #require(await Self.start(k, server: second, citizen: again), "bundle \(k) after restart")
            if let before = acknowledged[k] { #expect(dto.id == before.id, "bundle \(k) made twice") }
            ids.insert(dto.id)
            let leg = try #require(dto.legs.first { $0.itemCode == "SH-SC-0001" })
            if leg.state != "approved" {
                #expect(
                    await Self.approve(
                        try #require(leg.applicationId), from: leg.state, server: second, worker: worker2))
            }
        }
        second.stop()
        let final = try await Self.stored(path)
        #expect(Set(final.keys) == ids)
        #expect(final.count == Self.bundles)
        for (id, bundle) in final {
            #expect(
                bundle == Stored(legs: 4, applications: 4, released: 4, attempts: [1, 1, 1, 1], firstLeg: "approved"),
                "\(id)")
        }
    }
}
