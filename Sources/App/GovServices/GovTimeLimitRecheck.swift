import CityDomain
import Fluent
import SQLKit
import Vapor

/// Gives applications whose clock runs the promised and legal due instants their calendar could not count when they
/// were set (a limit past the holiday table's last year leaves them nil with `time_limit_problem`, and such an
/// application never escalates, ``GovOverdue``). Run by ``TimeLimitRecheck``'s pass once a newer table is loaded;
/// each changed application is written with a `time_limit` event by `system`, guarded by its version.
enum GovTimeLimitRecheck {
    /// One pass over the applications whose clock runs (accepted, under review) and that record a problem.
    /// - Returns: the ids of the applications whose due instants or problem changed.
    /// - Throws: database errors of the read; a failed write is logged and the application left for the next pass.
    static func run(
        catalogue: ServiceCatalogue, deadlines: DeadlineCalculator, lastYear: Int, on db: any Database,
        gate: WriteGate, now: Date, logger: Logger
    ) async throws -> [UUID] {
        let waiting = try await GovApplication.query(on: db)
            .filter(\.$state ~~ ApplicationState.allCases.filter(\.clockRuns))
            .filter(\.$timeLimitProblem != nil).all()
        var changed: [UUID] = []
        for application in waiting {
            guard let id = application.id, let item = catalogue[application.itemCode] else { continue }
            let before = (application.promisedDueAt, application.legalDueAt, application.timeLimitProblem)
            GovApplications.recomputeDues(application, item: item, deadlines: deadlines, now: now)
            guard before != (application.promisedDueAt, application.legalDueAt, application.timeLimitProblem) else {
                continue
            }
            let oldVersion = application.version
            application.version = oldVersion + 1
            application.updatedAt = now
            let event = GovApplicationEvent(
                applicationID: id, at: now, action: "time_limit", from: application.state, to: application.state,
                actor: "system", unitCode: nil, note: GovSystemNote.timeLimitsRecounted(through: lastYear).stored)
            do {
                try await gate.exclusive { [application] tx in
                    guard let sql = tx as? any SQLDatabase else {
                        throw Abort(.internalServerError, reason: "SQL database required")
                    }
                    let claimed = try await sql.update(GovApplication.schema)
                        .set("version", to: oldVersion + 1)
                        .where("id", .equal, id).where("version", .equal, oldVersion)
                        .returning("id").all()
                    guard !claimed.isEmpty else { throw GovApplicationError.concurrentChange }
                    try await application.update(on: tx)
                    try await event.create(on: tx)
                }
                changed.append(id)
            } catch GovApplicationError.concurrentChange {
                continue  // a caseworker's step meanwhile recounted its limits with the same calendar
            } catch {
                logger.error(
                    "time-limit recheck failed", metadata: ["application_id": "\(id)", "error": "\(error)"])
            }
        }
        return changed
    }
}
