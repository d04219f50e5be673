import CityDomain
import Fluent
import Vapor

/// Triages hotline reports left `pending` (stored, but triage failed or the process stopped in between): once at
/// start, then every `interval` seconds those pending for longer than `interval`. Runs with `serve` only, so an
/// administration command never triages a report a live server is still working on. With several nodes, the one
/// holding the loop's lease (``TaskLease``) runs it; each triage write is also guarded by the report's state, so a
/// report is triaged once.
enum HotlineRecovery {
    /// Reports triaged per database read.
    static let batch = 100

    /// Triages pending reports received before `before` (all when nil), oldest first, each on its own: one that
    /// fails is logged and left pending, the others go on.
    /// - Returns: how many were triaged.
    @discardableResult
    static func run(_ context: HotlineContext, receivedBefore before: Date? = nil) async throws -> Int {
        var triaged = 0
        var afterID = 0
        while true {
            let query = Report.query(on: context.db)
                .filter(\.$triageState == .pending).filter(\.$id > afterID)
            if let before { query.filter(\.$receivedAt < before) }
            let pending = try await query.sort(\.$id).limit(batch).all()
            for report in pending {
                afterID = try report.requireID()
                let actor = CaseActor(name: report.takenBy ?? "12345", unitCode: nil, role: nil)
                do {
                    try await HotlineIntake.triage(report, by: actor, context: context)
                    triaged += 1
                } catch {
                    context.logger.error(
                        "pending hotline report could not be triaged; it stays pending",
                        metadata: ["report_id": "\(afterID)", "error": "\(error)"])
                }
            }
            if pending.count < batch { return triaged }
        }
    }

    /// The loop `serve` runs: every pending report at boot, then every `interval` seconds those received more than
    /// `interval` seconds before (younger ones may still be in their first triage).
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "hotline recovery", interval: interval, startsAtOnce: true) { application, number in
            let now = application.clock.now()
            let count = try await run(
                HotlineContext(application, now: now, logger: application.logger),
                receivedBefore: number == 0 ? nil : now.addingTimeInterval(-interval))
            if count > 0 { application.logger.notice("triaged \(count) hotline reports left pending") }
        }
    }
}
