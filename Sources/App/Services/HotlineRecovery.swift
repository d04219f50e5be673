import CityDomain
import Fluent
import Vapor

/// Triages hotline reports left `pending` (stored, but triage failed or the process stopped in between): once at
/// start, then every `interval` seconds those pending for longer than `interval`. Runs with `serve` only, so an
/// administration command never triages a report a live server is still working on. Several nodes may run it:
/// each triage write is guarded by the report's state, so a report is triaged once.
final class HotlineRecovery: LifecycleHandler, @unchecked Sendable {
    // @unchecked Sendable: `task` is only touched from the application's lifecycle callbacks, one at a time.
    let interval: TimeInterval
    private var task: Task<Void, Never>?
    /// Reports triaged per database read.
    static let batch = 100

    init(interval: TimeInterval) { self.interval = interval }

    /// Triages pending reports received before `before` (all when nil), oldest first, each on its own: one that
    /// fails is logged and left pending, the others go on.
    /// - Returns: how many were triaged.
    @discardableResult
    static func run(_ context: HotlineContext, receivedBefore before: Date? = nil) async throws -> Int {
        var triaged = 0
        var afterID = 0
        while true {
            let query = Report.query(on: context.db)
                .filter(\.$triageState == HotlineTriageState.pending.rawValue).filter(\.$id > afterID)
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

    func didBootAsync(_ application: Application) async throws {
        let interval = interval
        task = Task { [weak application] in
            var before: Date?  // the first pass takes every pending report
            while !Task.isCancelled {
                guard let application else { return }
                let now = application.clock.now()
                do {
                    let count = try await Self.run(
                        HotlineContext(application, now: now, logger: application.logger), receivedBefore: before)
                    if count > 0 { application.logger.notice("triaged \(count) hotline reports left pending") }
                } catch {
                    application.logger.error("hotline recovery failed", metadata: ["error": "\(error)"])
                }
                before = now.addingTimeInterval(-interval)
                try? await Task.sleep(for: .seconds(interval))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }
}
