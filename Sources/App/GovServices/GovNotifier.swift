import CityDomain
import Fluent
import Foundation

/// Delivers notices about applications. Every notice is first written to the outbox (`gov_notifications`) in the
/// same transaction as the change it tells of; a notifier then delivers it, and a notice is marked delivered only
/// after its notifier returned, so a crash in between delivers it again (at least once).
protocol GovNotifier: Sendable {
    /// Delivers `notice`; throws to have it retried.
    func deliver(_ notice: GovNotification, on db: any Database) async throws
}

/// The default notifier: the notice stays in the outbox table, which the citizen's page reads
/// (`GET /api/v1/me/notifications`); delivery is immediate. SMS or e-mail senders implement ``GovNotifier`` too.
struct OutboxNotifier: GovNotifier {
    func deliver(_ notice: GovNotification, on db: any Database) async throws {}
}

enum GovOutbox {
    /// A notice for `application`'s citizen that it is now in `state` (with `note`), not yet delivered.
    static func notice(for application: GovApplication, kind: String = "state_changed", note: String?, now: Date)
        -> GovNotification
    {
        let notice = GovNotification()
        notice.id = UUID()
        notice.citizenID = application.citizenID
        notice.applicationID = application.id
        notice.at = now
        notice.kind = kind
        notice.state = application.state
        notice.note = note
        return notice
    }

    /// Delivers every undelivered notice (at most 500, oldest first) through `notifier` and marks each delivered
    /// after it was. A notice the notifier fails stays undelivered for the next pass and does not hold back the rest.
    /// - Returns: how many were delivered and how many failed.
    /// - Throws: only the database's errors.
    static func deliverPending(notifier: any GovNotifier, gate: WriteGate, db: any Database, now: Date) async throws
        -> (delivered: Int, failed: Int)
    {
        let pending = try await GovNotification.query(on: db).filter(\.$deliveredAt == nil).sort(\.$at).limit(500)
            .all()
        var failed = 0
        for notice in pending {
            do { try await notifier.deliver(notice, on: db) } catch {
                failed += 1
                continue
            }
            let id = try notice.requireID()
            try await gate.exclusive { db in
                try await GovNotification.query(on: db).filter(\.$id == id).set(\.$deliveredAt, to: now).update()
            }
        }
        return (pending.count - failed, failed)
    }
}
