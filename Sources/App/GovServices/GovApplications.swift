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
        access: GovAccessEntry? = nil, licences: [String: UUID] = [:], reference: CityReference, gate: WriteGate,
        db: any Database, now: Date
    ) async throws -> (application: GovApplication, created: Bool) {
        let submission = try await submission(
            citizen: citizen, item: item, regionCode: regionCode, token: token, materials: inputs, access: access,
            licences: licences, reference: reference, gate: gate, db: db, now: now)
        return (submission.application, submission.created)
    }

    /// What ``submission(citizen:item:regionCode:token:materials:access:reference:gate:db:now:)`` made.
    struct Submission {
        var application: GovApplication
        /// False when the token's application already existed.
        var created: Bool
        /// The new application's stored materials and audit event (with their dates as stored); empty when not
        /// `created`: read them then.
        var materials: [GovMaterial] = []
        var events: [GovApplicationEvent] = []
    }

    /// ``submit(citizen:item:regionCode:token:materials:access:reference:gate:db:now:)`` that also hands back the
    /// rows it wrote, so that an answer needs no read after the write.
    static func submission(
        citizen: UUID, item: ServiceItem, regionCode: String?, token: String, materials inputs: [MaterialInput],
        access: GovAccessEntry? = nil, licences: [String: UUID] = [:], reference: CityReference, gate: WriteGate,
        db: any Database, now: Date
    ) async throws -> Submission {
        // Dates as stored (whole microseconds), so that the answer built from these rows equals a later read.
        let now = Timestamps.stored(now)
        // No look-up of the token before the write: the unique (citizen_id, client_token) index refuses a retry's
        // rows, and the retry is answered below with the application already made. A first submission, the usual
        // case, so costs no read (issue #13 §6's rate).
        let unit: String
        let region: String
        let rows: [GovMaterial]
        do {
            (unit, region) = try GovSubmission.unit(for: item, regionCode: regionCode, reference: reference)
            rows = try GovSubmission.materials(
                inputs, for: item, round: 0, requireAll: true, now: now, licences: licences)
        } catch {
            // A token already used answers as a retry would (its application, or "already used" for another
            // item) rather than with what is wrong in this body.
            if let existing = try await existing(citizen: citizen, token: token, on: db) {
                guard existing.itemCode == item.code else { throw GovApplicationError.tokenReused }
                return Submission(application: existing, created: false)
            }
            throw error
        }
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
        event.id = UUID()
        let notice = GovOutbox.notice(for: application, note: nil, now: now)
        access?.target = id.uuidString
        let set = GovSubmissionRows.RowSet(
            application: application, materials: rows, event: event, notice: notice, access: access)
        do {
            // On SQLite the submissions queued together share one commit and one multi-row statement per table
            // (issue #13 §6's rate); if that fails, each is written alone, so a parallel retry's token fails only
            // itself.
            try await gate.insert(GovSubmissionRows.batch(set))
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A retry, or a parallel one with the same token that won: answer with its application.
            guard let existing = try await existing(citizen: citizen, token: token, on: db) else {
                throw Abort(.conflict, reason: "this application was submitted twice at once; retry")
            }
            guard existing.itemCode == item.code else { throw GovApplicationError.tokenReused }
            return Submission(application: existing, created: false)
        }
        return Submission(
            application: application, created: true,
            materials: rows.sorted { ($0.round, $0.materialCode) < ($1.round, $1.materialCode) }, events: [event])
    }

    /// The citizen's application made with client token `token`, or nil. Asks for its id first (one indexed
    /// look-up without model reflection: a new submission, the usual case, finds none).
    static func existing(citizen: UUID, token: String, on db: any Database) async throws -> GovApplication? {
        let found = try await db.sql().select().column("id").from(GovApplication.schema)
            .where("citizen_id", .equal, citizen).where("client_token", .equal, token).limit(1).first()
        guard let id = try found?.decode(column: "id", as: UUID.self) else { return nil }
        return try await GovApplication.find(id, on: db)
    }

    /// Takes `action` on an application (a caseworker's step, or the citizen's completion with `materials`), with
    /// the citizen's `access` log entry, when given, in the same transaction. Approving an item that produces a
    /// licence issues it with `licences` in that transaction too (with its `licence_issued` event), and approving a
    /// bundle leg releases the legs it unblocks there too (``BundleReleaser``).
    /// - Throws: ``GovApplicationError`` (`rule` for a step the state does not allow, `concurrentChange`).
    static func act(
        _ action: ApplicationAction, on application: GovApplication, item: ServiceItem, actor: String,
        actorUnit: String?, reason: String?, materials: [GovMaterial] = [], deadlines: DeadlineCalculator,
        gate: WriteGate, now: Date, access: GovAccessEntry? = nil, licences: LicenceIssuer? = nil,
        bundles: BundleReleaser? = BundleReleaser.bundled
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
            if action == .approve, let licences,
                let draft = try await licences.draft(for: application, item: item, db: db, now: now)
            {
                let licence = try await licences.issue(draft, on: db)
                try await GovApplicationEvent(
                    applicationID: id, at: now, action: "licence_issued", from: after, to: after, actor: actor,
                    unitCode: actorUnit, note: licence.number
                ).create(on: db)
            }
            if action == .approve, let bundles { try await bundles.release(after: application, on: db, now: now) }
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
