import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// Stored codes are typed in the models (string-backed enums) but stay the same strings in the database, on SQLite
/// and on PostgreSQL (run with `TEST_DATABASE_URL`): read back here through SQLKit, past the models.
@Suite struct StoredCodesTests {
    /// The text in `column` of the row `id` of `table`.
    static func raw(_ table: String, _ column: String, id: some Encodable & Sendable, on db: any Database)
        async throws -> String?
    {
        let sql = try #require(db as? any SQLDatabase)
        let row = try await sql.select().column(SQLIdentifier(column)).from(table).where("id", .equal, SQLBind(id))
            .first()
        return try #require(row).decode(column: column, as: String?.self)
    }

    @Test func everyCaseStateStepAndPriorityIsStoredAsItsCode() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "parking.fire_lane", lat: 31.2397, long: 121.4998)
            // Written by the intake's SQLKit insert.
            #expect(try await Self.raw("cases", "state", id: id, on: app.db) == "dispatched")
            #expect(try await Self.raw("cases", "step", id: id, on: app.db) == "handle")
            #expect(try await Self.raw("cases", "priority", id: id, on: app.db) == "urgent")
            // Written by Fluent, every value.
            let record = try #require(try await Case.find(id, on: app.db))
            for state in CaseState.allCases {
                record.state = state
                record.stateBeforeSuspension = state
                try await record.save(on: app.db)
                #expect(try await Self.raw("cases", "state", id: id, on: app.db) == state.rawValue)
                #expect(try await Self.raw("cases", "state_before_suspension", id: id, on: app.db) == state.rawValue)
                #expect(try await Case.find(id, on: app.db)?.state == state)
            }
            for step in CaseStep.allCases {
                record.step = step
                try await record.save(on: app.db)
                #expect(try await Self.raw("cases", "step", id: id, on: app.db) == step.rawValue)
            }
            for priority in CasePriority.allCases {
                record.priority = priority
                try await record.save(on: app.db)
                #expect(try await Self.raw("cases", "priority", id: id, on: app.db) == priority.rawValue)
            }
            record.step = nil
            record.stateBeforeSuspension = nil
            try await record.save(on: app.db)
            #expect(try await Self.raw("cases", "step", id: id, on: app.db) == nil)
            // A code written by other means (an older node, an SQL console) reads back typed.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.update("cases").set("state", to: "handling").set("step", to: "verify")
                .where("id", .equal, id).run()
            let reread = try #require(try await Case.find(id, on: app.db))
            #expect(reread.state == .handling && reread.step == .verify && reread.stateBeforeSuspension == nil)
            // Typed filters match the stored strings.
            #expect(try await Case.query(on: app.db).filter(\.$state == .handling).count() == 1)
            #expect(try await Case.query(on: app.db).filter(\.$state ~~ [.closed, .handled]).count() == 0)
        }
    }

    @Test func auditEventCodesAreStoredAsBefore() async throws {
        try await TestApp.withApp { app, clock in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "parking.fire_lane", lat: 31.2397, long: 121.4998)
            try await CaseActions.perform(
                CaseCommand(action: .suspend, note: "现场封控"), on: id, by: .system, reference: app.reference,
                on: app.db, gate: app.writeGate, now: clock.now)
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.select().columns("action", "from_state", "to_state").from("case_events")
                .where("case_id", .equal, id).orderBy("id").all()
            let stored = try rows.map {
                [
                    try $0.decode(column: "action", as: String.self),
                    try $0.decode(column: "from_state", as: String?.self) ?? "-",
                    try $0.decode(column: "to_state", as: String.self),
                ]
            }
            #expect(
                stored == [
                    ["accept", "-", "accepted"], ["register", "accepted", "registered"],
                    ["dispatch", "registered", "dispatched"], ["suspend", "dispatched", "suspended"],
                ])
            // Every action an event can record, written by Fluent and read back raw and typed.
            let actions =
                CaseAction.allCases.map(CaseEventAction.workflow) + [.accept, .mergeReport, .splitReport, .timeLimit]
            for action in actions {
                let event = CaseEvent(
                    caseID: id, at: clock.now, action: action, from: .handled, to: .closed, actor: "test",
                    actorUnitCode: nil, unitCode: nil, note: nil)
                try await event.create(on: app.db)
                let eventID = try event.requireID()
                #expect(try await Self.raw("case_events", "action", id: eventID, on: app.db) == action.rawValue)
                #expect(try await CaseEvent.find(eventID, on: app.db)?.action == action)
            }
            #expect(Set(actions.map(\.rawValue)).count == actions.count)
            #expect(actions.allSatisfy { CaseEventAction(rawValue: $0.rawValue) == $0 })
            #expect(CaseEventAction(rawValue: "fly") == nil)
            #expect(try await CaseEvent.query(on: app.db).filter(\.$action == .workflow(.suspend)).count() == 2)
        }
    }

    @Test func rolesScopesAndReportCodesAreStoredAsBefore() async throws {
        try await TestApp.withApp { app, clock in
            for (index, role) in OperatorRole.allCases.enumerated() {
                let account = Operator()
                account.username = "op\(index)"
                account.passwordHash = "x"
                account.unitCode = "310115.water"
                account.role = role
                account.createdAt = clock.now
                account.disabled = false
                try await account.create(on: app.db)
                #expect(try await Self.raw("operators", "role", id: account.requireID(), on: app.db) == role.rawValue)
            }
            #expect(try await Operator.query(on: app.db).filter(\.$role == .gridWorker).count() == 1)

            for (scopes, text) in [
                ([APIKeyScope.open311], "open311"), ([.hotline], "hotline"), ([.hotline, .open311], "open311,hotline"),
            ] {
                let (key, _) = try await Access.createAPIKey(
                    name: "key \(text)", scopes: Set(scopes), on: app.db, now: clock.now)
                #expect(try await Self.raw("api_keys", "scopes", id: key.requireID(), on: app.db) == text)
                #expect(try await APIKey.find(key.id, on: app.db)?.scopes == APIKeyScopes(Set(scopes)))
            }
            // A word that names no scope grants nothing and does not stop the key from loading.
            let sql = try #require(app.db as? any SQLDatabase)
            let odd = try #require(try await APIKey.query(on: app.db).filter(\.$name == "key hotline").first())
            try await sql.update("api_keys").set("scopes", to: "hotline, telex").where("id", .equal, odd.requireID())
                .run()
            #expect(try await APIKey.find(odd.id, on: app.db)?.scopes == [.hotline])

            for source in ReportSource.allCases {
                for (channel, triage) in zip(HotlineChannel.allCases, HotlineTriageState.allCases + [nil]) {
                    let report = Report()
                    report.receivedAt = clock.now
                    report.source = source
                    report.channel = channel
                    report.triageState = triage
                    try await report.create(on: app.db)
                    let reportID = try report.requireID()
                    #expect(try await Self.raw("reports", "source", id: reportID, on: app.db) == source.rawValue)
                    #expect(try await Self.raw("reports", "channel", id: reportID, on: app.db) == channel.rawValue)
                    #expect(
                        try await Self.raw("reports", "triage_state", id: reportID, on: app.db) == triage?.rawValue)
                    let reread = try #require(try await Report.find(reportID, on: app.db))
                    #expect(reread.source == source && reread.channel == channel && reread.triageState == triage)
                }
            }
            #expect(
                try await Report.query(on: app.db).filter(\.$triageState == .queued).count()
                    == ReportSource.allCases.count)
        }
    }
}
