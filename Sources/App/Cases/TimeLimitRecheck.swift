import CityDomain
import Fluent
import SQLKit
import Vapor

/// Gives open cases the due instants their calendar could not count when they were set.
///
/// A time limit needing a day past the holiday table's last year (the State Council publishes each year's notice,
/// 国务院办公厅关于部分节假日安排的通知, in November or December before it) is left without a due instant and the case
/// records `time_limit_problem` (``CaseRecord/recomputeTimeLimits(category:deadlines:)``); such a case can never
/// become overdue or escalate. Once a newer table is loaded (`CITYNET_HOLIDAY_CSV`, read at start), each pass
/// recounts every open case that still records a problem, from the same instants as before (creation, the running
/// step's start, suspensions, approved extensions), and writes the ones whose limits changed with a `time_limit`
/// event by `system`, in one transaction per case guarded by its version. A case whose due instant has already
/// passed is then escalated by the next ``EscalationSweep`` pass.
enum TimeLimitRecheck {
    /// Seconds between passes after the one at start: six hours. The table changes only when a node starts with a
    /// newer one; the later passes catch a node that takes the lease over from one with the older table.
    static let interval: TimeInterval = 6 * 3600

    /// The loop `serve` runs beside the sweeps: a pass at start, then one every `interval` seconds, over the cases
    /// and then the applications (``GovTimeLimitRecheck``).
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "time-limit recheck", interval: interval, startsAtOnce: true) { application, _ in
            let (reference, now) = (application.reference, application.clock.now())
            _ = try await run(
                reference: reference, on: application.db, gate: application.writeGate, now: now,
                logger: application.logger)
            _ = try await GovTimeLimitRecheck.run(
                catalogue: application.govServices.catalogue, deadlines: reference.deadlines,
                lastYear: reference.calendar.lastYear, on: application.db, gate: application.writeGate, now: now,
                logger: application.logger)
        }
    }

    /// One pass over the open cases recording a time-limit problem, `batch` at a time in id order (the open cases'
    /// partial index `cases_open_idx` serves the filter).
    /// - Returns: the ids of the cases whose due instants or problem changed, in id order.
    /// - Throws: database errors of the read; a failed write is logged and the case left for the next pass.
    static func run(
        reference: CityReference, on db: any Database, gate: WriteGate, now: Date, logger: Logger, batch: Int = 500
    ) async throws -> [Int] {
        var changed: [Int] = []
        var after = 0
        while true {
            let rows = try await Case.query(on: db)
                .filter(\.$state != .closed).filter(\.$timeLimitProblem != nil).filter(\.$id > after)
                .sort(\.$id).limit(batch).all()
            for record in rows {
                guard let id = record.id else { continue }
                after = id
                do {
                    if try await recount(record, reference: reference, on: db, gate: gate, now: now) {
                        changed.append(id)
                    }
                } catch CaseActionError.concurrentChange {
                    continue  // an action meanwhile recounted its limits with the same calendar
                } catch {
                    logger.error("time-limit recheck failed", metadata: ["case_id": "\(id)", "error": "\(error)"])
                }
            }
            if rows.count < batch { break }
        }
        if !changed.isEmpty {
            logger.notice(
                "time limits recounted",
                metadata: ["cases": "\(changed.count)", "through": "\(reference.calendar.lastYear)"])
        }
        return changed
    }

    /// Recounts one case's limits; writes it and its event when they changed.
    /// - Returns: whether the case changed.
    private static func recount(
        _ record: Case, reference: CityReference, on db: any Database, gate: WriteGate, now: Date
    ) async throws -> Bool {
        let caseID = try record.requireID()
        guard let category = reference.taxonomy[record.categoryCode] else { return false }  // retired: no limits
        var recounted = record.caseRecord
        recounted.recomputeTimeLimits(category: category, deadlines: reference.deadlines)
        // Escalated before while its next look could not be counted: look one step limit from now (not at a due
        // instant already past, which would escalate it again at once).
        let lookLost =
            record.escalationLevel > 0 && record.escalateAt == nil
            && record.timeLimitProblem?.hasPrefix(CaseRecord.nextEscalationProblem) == true
        if lookLost {
            recounted.escalateAt = recounted.nextEscalation(
                category: category, deadlines: reference.deadlines, now: now,
                maxLevel: CaseActions.maxEscalationLevel(for: record, reference: reference))
        }
        recounted.settleEscalationLook(previous: lookLost ? nil : record.escalateAt)
        let before = record.caseRecord
        guard
            recounted.dueAt != before.dueAt || recounted.stepDueAt != before.stepDueAt
                || recounted.escalateAt != before.escalateAt || recounted.timeLimitProblem != before.timeLimitProblem
        else { return false }
        let oldVersion = record.version
        let counted = CaseCounters.entry(record)
        record.caseRecord = recounted
        record.version = oldVersion + 1
        record.updatedAt = now
        // The API's note is the catalogue's English; pages word the parts in their language.
        let note = Message("note.time_limits_recounted", ["year": "\(reference.calendar.lastYear)"])
        let event = CaseEvent(
            caseID: caseID, at: now, action: .timeLimit, from: record.state, to: record.state, actor: "system",
            actorUnitCode: nil, unitCode: record.unitCode, note: note.text(.en), parts: [note])
        try await gate.exclusive { tx in
            guard let sql = tx as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "SQL database required")
            }
            let claimed = try await sql.update(Case.schema)
                .set("version", to: oldVersion + 1)
                .where("id", .equal, caseID).where("version", .equal, oldVersion)
                .returning("id").all()
            guard !claimed.isEmpty else { throw CaseActionError.concurrentChange(caseID) }
            try await record.save(on: tx)
            try await event.create(on: tx)
            var delta = CaseCounters.Delta()
            delta.change(from: counted, to: record)
            try await CaseCounters.apply(delta, on: sql)
        }
        return true
    }
}
