import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Open cases whose limits ran past the holiday table get their due instants once a newer table is loaded, and
/// then escalate like any other case.
@Suite struct TimeLimitRecheckTests {
    /// A table whose last year is 2027, standing in for next year's notice: New Year's Day 2027 off, as the notice
    /// of every year since 2008 has it (the rest of 2027 counts Monday–Friday).
    static func referenceThrough2027() throws -> CityReference {
        try CityReference.shanghaiDefault(
            holidayTable: "date,kind,holiday\n2026-10-01,holiday,National Day\n2027-01-01,holiday,New Year's Day\n")
    }

    @Test func aNewerTableGivesTheCaseItsDueInstantAndItEscalates() async throws {
        // Thu 2026-12-31: renovation noise, handle 1 working day and overall 5, both of which need the 2027 table.
        let thursday = Timestamps.parse("2026-12-31T10:00:00+08:00")!
        try await TestApp.withApp(now: thursday) { app, clock in
            let intake = IntakeReport(
                source: .api, categoryCode: "noise.renovation",
                point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
            let stored = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: clock.now, logger: app.logger)
            let id = try stored.case.requireID()
            #expect(stored.case.dueAt == nil)
            #expect(stored.case.stepDueAt == nil)
            #expect(stored.case.escalateAt == nil)
            let monday = Timestamps.parse("2027-01-05T09:00:00+08:00")!
            // Without a due instant the sweep can never escalate it.
            #expect(
                try await EscalationSweep.run(
                    reference: app.reference, on: app.db, gate: app.writeGate, now: monday, logger: app.logger
                ).isEmpty)
            // With the bundled table (through 2026) a pass changes nothing: the problem stays, said once.
            let unchanged = try await TimeLimitRecheck.run(
                reference: app.reference, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger)
            #expect(unchanged.isEmpty)

            let newer = try Self.referenceThrough2027()
            let changed = try await TimeLimitRecheck.run(
                reference: newer, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger)
            #expect(changed == [id])
            let recounted = try #require(try await Case.find(id, on: app.db))
            // (Fri 1 Jan off, a weekend) handle: Mon 4 → 2027-01-04 24:00; overall: Mon 4 … Fri 8 → 2027-01-08 24:00.
            #expect(recounted.stepDueAt == Timestamps.parse("2027-01-05T00:00:00+08:00"))
            #expect(recounted.dueAt == Timestamps.parse("2027-01-09T00:00:00+08:00"))
            #expect(recounted.timeLimitProblem == nil)
            #expect(recounted.escalateAt == recounted.stepDueAt)
            #expect(recounted.version == stored.case.version + 1)
            let event = try #require(
                try await CaseEvent.query(on: app.db).filter(\.$caseID == id).sort(\.$id, .descending).first())
            #expect(event.action == .timeLimit)
            #expect(event.actor == "system")
            #expect(MessageNote.parts(event.noteParts)?.map(\.code) == ["note.time_limits_recounted"])
            let zh = MessageNote.display(note: event.note, parts: event.noteParts, .zh, reference: newer).system
            let en = MessageNote.display(note: event.note, parts: event.noteParts, .en, reference: newer).system
            #expect(zh == "节假日表已更新至 2027 年，时限重新计算")
            #expect(en == "Time limits recounted with the holiday table through 2027")

            // A second pass finds nothing left to recount.
            let again = try await TimeLimitRecheck.run(
                reference: newer, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger)
            #expect(again.isEmpty)
            // Past its step's due instant, the sweep now escalates it.
            let escalated = try await EscalationSweep.run(
                reference: newer, on: app.db, gate: app.writeGate, now: monday, logger: app.logger)
            #expect(escalated == [id])
        }
    }

    /// An escalated case keeps its next look (a full step limit after the escalation), and a suspended one gets
    /// none, though the recount finds an earlier due instant already past.
    @Test func anEscalatedOrSuspendedCaseKeepsItsLook() async throws {
        let thursday = Timestamps.parse("2026-12-31T10:00:00+08:00")!
        try await TestApp.withApp(now: thursday) { app, clock in
            let nextLook = Timestamps.parse("2027-01-20T09:00:00+08:00")!
            var ids: [Int] = []
            for suspended in [false, true] {
                let intake = IntakeReport(
                    source: .api, categoryCode: "noise.renovation",
                    point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
                let stored = try await CaseIntake.register(
                    intake, reference: app.reference, gate: app.writeGate, now: clock.now, logger: app.logger)
                let record = try #require(try await Case.find(try stored.case.requireID(), on: app.db))
                record.escalationLevel = 1
                record.escalateAt = suspended ? nil : nextLook
                if suspended { record.suspendedSince = thursday }
                try await record.save(on: app.db)
                ids.append(try record.requireID())
            }
            let changed = try await TimeLimitRecheck.run(
                reference: try Self.referenceThrough2027(), on: app.db, gate: app.writeGate,
                now: Timestamps.parse("2027-01-11T09:00:00+08:00")!, logger: app.logger)
            #expect(changed == ids)
            let escalated = try #require(try await Case.find(ids[0], on: app.db))
            #expect(escalated.dueAt == Timestamps.parse("2027-01-09T00:00:00+08:00"))
            #expect(escalated.escalateAt == nextLook)  // not the step's due instant of 5 January, long past
            let suspended = try #require(try await Case.find(ids[1], on: app.db))
            #expect(suspended.dueAt != nil && suspended.escalateAt == nil)
        }
    }

    struct Created: Decodable { var id: UUID }

    @Test func anApplicationsLegalDateIsCountedOnceTheNewerTableIsLoaded() async throws {
        try await TestApp.withApp(now: Timestamps.parse("2026-12-07T10:00:00+08:00")!) { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            let worker = try await TestApp.login(app, username: "pd.police.3", unit: "310115.police", role: .caseworker)
            var id = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in id = try res.content.decode(Created.self).id }
            try await GovFixtures.send(
                app, .POST, "/api/v1/gov/applications/\(id)/actions", token: worker, body: ["action": "accept"]
            ) { res in #expect(res.status == .ok, "\(res.body.string)") }
            let newer = try Self.referenceThrough2027()
            func recheck(_ reference: CityReference) async throws -> [UUID] {
                try await GovTimeLimitRecheck.run(
                    catalogue: app.govServices.catalogue, deadlines: reference.deadlines,
                    lastYear: reference.calendar.lastYear, on: app.db, gate: app.writeGate, now: clock.now,
                    logger: app.logger)
            }
            #expect(try await recheck(app.reference).isEmpty)
            #expect(try await recheck(newer) == [id])
            let stored = try #require(try await GovApplication.find(id, on: app.db))
            // 30 working days from Mon 7 Dec: 18 left in December, then (1 Jan off) 4–8, 11–15, 18, 19 January.
            #expect(stored.legalDueAt == CalendarDay("2027-01-20")!.startDate)
            #expect(stored.promisedDueAt == CalendarDay("2026-12-15")!.startDate)
            #expect(stored.timeLimitProblem == nil)
            let event = try #require(
                try await GovApplicationEvent.query(on: app.db).filter(\.$applicationID == id)
                    .filter(\.$action == "time_limit").first())
            #expect(event.actor == "system")
            let note = try #require(GovSystemNote(stored: event.note ?? ""))
            #expect(note == .timeLimitsRecounted(through: 2027))
            #expect(note.text(.zh, services: app.govServices) == "节假日表已更新至 2027 年，时限重新计算")
            #expect(try await recheck(newer).isEmpty)
        }
    }
}
