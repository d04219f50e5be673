import CityDomain
import Fluent
import Vapor

/// Escalates overdue cases one level up (street → district → city), as DESIGN.md §1 "escalate when late".
///
/// A case is due for a look when its `escalate_at` (the earlier of its step and overall due instants, or one
/// more step limit after its last escalation) has passed, it is open and not suspended. Each look escalates it by
/// one level through ``CaseActions`` as the `system` actor, so the audit trail records it like any other step.
/// Tests call ``run(reference:on:gate:now:logger:batch:)`` with a fixed clock; `serve` runs it in a loop.
enum EscalationSweep {
    /// The loop `serve` runs: a sweep every `interval` seconds, the first one interval after boot. With several
    /// nodes on one PostgreSQL, the node holding the loop's lease (``TaskLease``) sweeps; sweeps would also overlap
    /// safely, because every escalation is guarded by the case's version.
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "escalation sweep", interval: interval, startsAtOnce: false) { application, _ in
            _ = try await run(
                reference: application.reference, on: application.db, gate: application.writeGate,
                now: application.clock.now(), logger: application.logger)
        }
    }

    /// - Returns: the ids of the cases escalated in this pass.
    static func run(
        reference: CityReference, on db: any Database, gate: WriteGate, now: Date, logger: Logger, batch: Int = 500
    )
        async throws -> [Int]
    {
        let due = try await Case.query(on: db)
            .filter(\.$escalateAt <= now)
            .filter(\.$state != .closed)
            .filter(\.$suspendedSince == nil)
            .sort(\.$escalateAt)
            .limit(batch)
            .all()
        var escalated: [Int] = []
        for record in due {
            guard let id = record.id else { continue }
            do {
                if record.escalationLevel >= CaseActions.maxEscalationLevel(for: record, reference: reference) {
                    // At the top already: stop looking, unless an operator changed the case meanwhile.
                    let version = record.version
                    try await gate.exclusive { db in
                        try await Case.query(on: db).filter(\.$id == id).filter(\.$version == version)
                            .set(\.$escalateAt, to: nil).update()
                    }
                    continue
                }
                let command = CaseCommand(
                    action: .escalate, note: "超时自动升级 overdue: automatic escalation",
                    systemNote: Message("note.escalated_overdue"))
                try await CaseActions.perform(
                    command, on: record, by: .system, reference: reference, on: db, gate: gate, now: now)
                escalated.append(id)
                logger.notice("case escalated", metadata: ["case_id": "\(id)", "level": "\(record.escalationLevel)"])
            } catch CaseActionError.concurrentChange {
                continue  // an operator acted meanwhile; the next pass looks again
            } catch {
                // One bad case must not stop the sweep for the others.
                logger.error("escalation failed", metadata: ["case_id": "\(id)", "error": "\(error)"])
            }
        }
        return escalated
    }
}
