import CityDomain
import Fluent
import SQLKit
import Vapor

/// Stores applications and moves them through ``ApplicationWorkflow``: each change, its audit event and its
/// outbox notice are one transaction through the write gate, claimed by version.
enum GovApplications {
    /// Submits an application, or returns the one already made with the same client token (`created` false).
    /// - Parameter access: the citizen's access-log entry for this submission, written in the same transaction
    ///   (its target is set to the new application's id).
    static func submit(
        citizen: UUID, item: ServiceItem, regionCode: String?, token: String, materials inputs: [MaterialInput],
        access: GovAccessEntry? = nil, reference: CityReference, gate: WriteGate, db: any Database, now: Date
    ) async throws -> (application: GovApplication, created: Bool) {
        if let existing = try await GovApplication.query(on: db).filter(\.$citizenID == citizen)
            .filter(\.$clientToken == token).first()
        {
            guard existing.itemCode == item.code else { throw GovApplicationError.tokenReused }
            return (existing, false)
        }
        let (unit, region) = try GovSubmission.unit(for: item, regionCode: regionCode, reference: reference)
        let rows = try GovSubmission.materials(inputs, for: item, round: 0, requireAll: true, now: now)
        let application = GovApplication()
        let id = UUID()
        application.id = id
        application.citizenID = citizen
        application.itemCode = item.code
        application.unitCode = unit
        application.regionCode = region
        application.state = .submitted
        application.clientToken = token
        application.submittedAt = now
        application.wasAccepted = false
        application.clockStops = "[]"
        application.updatedAt = now
        application.version = 0
        for row in rows { row.applicationID = id }
        let event = GovApplicationEvent(
            applicationID: id, at: now, action: "submit", from: nil, to: .submitted, actor: "citizen",
            unitCode: unit, note: "\(rows.count) material(s)")
        let notice = GovOutbox.notice(for: application, note: nil, now: now)
        do {
            // Grouped: on SQLite many submissions share one commit (issue #13 §6's rate); each is undone alone if
            // it fails (a parallel retry's token).
            try await gate.grouped { [application] db in
                try await application.create(on: db)
                for row in rows { try await row.create(on: db) }
                try await event.create(on: db)
                try await notice.create(on: db)
                if let access {
                    access.target = id.uuidString
                    try await access.create(on: db)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A parallel retry with the same token won: answer with its application.
            guard
                let existing = try await GovApplication.query(on: db).filter(\.$citizenID == citizen)
                    .filter(\.$clientToken == token).first()
            else { throw Abort(.conflict, reason: "this application was submitted twice at once; retry") }
            guard existing.itemCode == item.code else { throw GovApplicationError.tokenReused }
            return (existing, false)
        }
        return (application, true)
    }

    /// Takes `action` on an application (a caseworker's step, or the citizen's completion with `materials`), with
    /// the citizen's `access` log entry, when given, in the same transaction.
    /// - Throws: ``GovApplicationError`` (`rule` for a step the state does not allow, `concurrentChange`).
    static func act(
        _ action: ApplicationAction, on application: GovApplication, item: ServiceItem, actor: String,
        actorUnit: String?, reason: String?, materials: [GovMaterial] = [], deadlines: DeadlineCalculator,
        gate: WriteGate, now: Date, access: GovAccessEntry? = nil
    ) async throws {
        let before = application.state
        let after: ApplicationState
        do {
            after = try ApplicationWorkflow.next(
                after: action, in: before, wasAccepted: application.wasAccepted, reason: reason)
        } catch { throw GovApplicationError.rule(error) }
        switch action {
        case .accept:
            application.acceptedAt = now
            application.wasAccepted = true
        case .requestCompletion:
            if application.wasAccepted { application.stoppedSince = now }
        case .complete:
            if let since = application.stoppedSince {
                application.stops = application.stops + [DateInterval(start: since, end: max(since, now))]
                application.stoppedSince = nil
            }
        default: break
        }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action.needsReason { application.reason = trimmed }
        if action == .complete || action == .accept { application.reason = nil }
        application.state = after
        recomputeDues(application, item: item, deadlines: deadlines, now: now)
        let oldVersion = application.version
        application.version = oldVersion + 1
        application.updatedAt = now
        let id = try application.requireID()
        let event = GovApplicationEvent(
            applicationID: id, at: now, action: action.rawValue, from: before, to: after, actor: actor,
            unitCode: actorUnit, note: trimmed)
        let notice = GovOutbox.notice(for: application, note: trimmed, now: now)
        try await gate.exclusive { [application] db in
            // Claimed by one conditional UPDATE: under READ COMMITTED a count then an update by id lets two
            // caseworkers both pass; this row lock re-checks the version after the other commits.
            guard let sql = db as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "SQL database required")
            }
            let claimed = try await sql.update(GovApplication.schema)
                .set("version", to: oldVersion + 1)
                .where("id", .equal, id).where("version", .equal, oldVersion)
                .returning("id").all()
            guard !claimed.isEmpty else { throw GovApplicationError.concurrentChange }
            try await application.update(on: db)
            for row in materials { try await row.create(on: db) }
            try await event.create(on: db)
            try await notice.create(on: db)
            try await access?.create(on: db)
        }
    }

    /// Sets the promised and legal due instants from acceptance, the closed clock stops and, while it waits for
    /// completion, the open one as if it ended now. A limit the calendar cannot count (a year past its data) is
    /// left nil and `time_limit_problem` says why.
    static func recomputeDues(
        _ application: GovApplication, item: ServiceItem, deadlines: DeadlineCalculator, now: Date
    ) {
        var stops = application.stops
        if let since = application.stoppedSince { stops.append(DateInterval(start: since, end: max(since, now))) }
        let clock = ApplicationClock(acceptedAt: application.acceptedAt, stops: stops)
        var problems: [String] = []
        func due(_ days: Int) -> Date? {
            do { return try clock.due(days: days, deadlines: deadlines) } catch {
                // Never a guess: a date the calendar cannot count is left open and the reason kept.
                problems.append("\(error)")
                return nil
            }
        }
        application.promisedDueAt = due(item.promisedDays)
        application.legalDueAt = due(item.legalDays)
        application.timeLimitProblem = problems.isEmpty ? nil : Array(Set(problems)).sorted().joined(separator: "; ")
    }

    /// The citizen's own application, or nil (someone else's is nil too).
    static func own(_ id: UUID, citizen: UUID, on db: any Database) async throws -> GovApplication? {
        try await GovApplication.query(on: db).filter(\.$id == id).filter(\.$citizenID == citizen).first()
    }

    /// The next completion round of an application (1 for the first completion).
    static func nextRound(of id: UUID, on db: any Database) async throws -> Int {
        let last = try await GovMaterial.query(on: db).filter(\.$applicationID == id).max(\.$round) ?? 0
        return last + 1
    }
}
