import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// An operator's request to move a case.
struct CaseCommand: Sendable {
    var action: CaseAction
    var note: String?
    /// Target unit for `dispatch`, `reassign` and `dispatch_down`.
    var unitCode: String?
    /// Working days asked for by `request_extension` or granted by `approve_extension` (1…30).
    var extensionDays: Int?
    /// Username of the grid worker `assign` sends out (an enabled grid worker of the unit holding the case), or
    /// that `dispatch_down` sends the case to (one of the street's grid workers).
    var assignee: String? = nil
    /// What the citizen said when called back (`callback` only).
    var callbackResult: CallbackResult? = nil
    /// Photos sent with the action (a resolve's evidence), already checked; stored with its audit event.
    var photos: [PhotoUpload] = []
    /// When the system acts (the escalation sweep): `note` as a catalogue sentence, worded in the reader's language.
    var systemNote: Message? = nil
}

/// Why an action was refused. Mapped to 400/403/404/409 at the edge; nothing has been written.
enum CaseActionError: Error, Equatable, CustomStringConvertible {
    case notFound(Int)
    /// Refused by the case rules (``CaseRules``).
    case rule(CaseRuleError)
    case concurrentChange(Int)
    case selfVerification(String)
    case unknownAssignee(String, unit: String)
    /// `dispatch_down` named someone who is not an enabled grid worker (of the unit named, if one was).
    case unknownGridWorker(String, unit: String?)

    var description: String {
        switch self {
        case .notFound(let id): "case \(id) not found"
        case .rule(let error): error.description
        case .concurrentChange(let id): "case \(id) was changed by someone else meanwhile; reload it and try again"
        case .unknownAssignee(let name, let unit):
            "'\(name)' is not an enabled grid worker of '\(unit)', the unit holding the case (only they can be sent)"
        case .unknownGridWorker(let name, let unit):
            "'\(name)' is not an enabled grid worker" + (unit.map { " of '\($0)'" } ?? "")
                + ": dispatch_down sends a case to a grid worker of the street/town holding it"
        case .selfVerification(let actor):
            "'\(actor)' resolved this case and may not verify it: verification is done by someone else (CJ/T 315 核查)"
        }
    }
}

extension CaseCommand {
    /// The command as the case rules read it (photos counted, not carried).
    var request: CaseRequest {
        CaseRequest(
            action, note: note, unitCode: unitCode, extensionDays: extensionDays, assignee: assignee,
            callbackResult: callbackResult, photoCount: photos.count)
    }
}

/// Performs workflow actions on stored cases: loads the case, checks what needs the database (the verifier is not
/// who resolved it; the grid worker sent exists), applies ``CaseRules`` (state, unit, extensions, escalation, time
/// limits), claims the case's version and writes the case with its audit event, in one transaction.
enum CaseActions {
    /// Loads case `caseID` and performs `command` on it, as the overload taking the loaded case does.
    /// - Throws: ``CaseActionError/notFound(_:)`` for an unknown id, and everything the other overload throws.
    @discardableResult
    static func perform(
        _ command: CaseCommand, on caseID: Int, by actor: CaseActor, reference: CityReference,
        on db: any Database, gate: WriteGate, now: Date
    ) async throws -> Case {
        guard let record = try await Case.find(caseID, on: db) else { throw CaseActionError.notFound(caseID) }
        return try await perform(command, on: record, by: actor, reference: reference, on: db, gate: gate, now: now)
    }

    /// Performs `command` on `record` as the caller read it (and checked its scope): if the stored case has moved
    /// on since (another version), nothing is written and the answer is ``CaseActionError/concurrentChange(_:)``.
    /// - Returns: the case after the action (`record`, updated).
    /// - Throws: ``CaseActionError``; database errors. On any error nothing is written.
    @discardableResult
    static func perform(
        _ command: CaseCommand, on record: Case, by actor: CaseActor, reference: CityReference,
        on db: any Database, gate: WriteGate, now: Date
    ) async throws -> Case {
        let caseID = try record.requireID()
        let action = command.action
        var request = command.request
        let before = record.caseRecord
        let rules = reference.caseRules
        do {
            let maxLevel = rules.maxEscalationLevel(unitCode: before.unitCode, regionCode: before.regionCode)
            _ = try CaseRules.check(request, on: before, role: actor.role, maxEscalationLevel: maxLevel)
        } catch { throw CaseActionError.rule(error) }
        if action == .verify || action == .failVerification, actor.role != nil {
            let resolved = try await CaseEvent.query(on: db).filter(\.$caseID == caseID)
                .filter(\.$action == .workflow(.resolve)).sort(\.$id, .descending).first()
            if resolved?.actor == actor.name { throw CaseActionError.selfVerification(actor.name) }
        }
        if action == .assign { try await checkAssignee(command.assignee, unit: record.unitCode, on: db) }
        if action == .dispatchDown, let name = request.assignee, !name.isEmpty {
            // 下派 to a grid worker: the case goes to the worker's unit (CaseRules checks it is of the street).
            request.unitCode = try await gridWorkerUnit(name, given: request.unitCode, on: db)
        } else if action == .dispatchDown {
            request.assignee = nil
        }
        let outcome: CaseRuleOutcome
        do {
            outcome = try CaseRules.apply(
                request, to: before, actor: actor.name, role: actor.role, actorUnitCode: actor.unitCode,
                category: reference.taxonomy[record.categoryCode], reference: rules, now: now)
        } catch { throw CaseActionError.rule(error) }
        let oldVersion = record.version
        let counted = CaseCounters.entry(record)  // what the stored row counts for (its version is claimed below)
        // The street centre that first received a territorial case passing it to its own unit (下派) completes the
        // first dispatch, not corrects it: the first-dispatch accuracy (一次派遣准确率) counts that unit as the first.
        if action == .dispatchDown, record.unitCode == record.firstUnitCode { record.firstUnitCode = outcome.unitCode }
        record.caseRecord = outcome.record
        record.version = oldVersion + 1
        record.updatedAt = now
        let event = CaseEvent(
            caseID: caseID, at: now, action: .workflow(action), from: outcome.fromState, to: outcome.toState,
            actor: actor.name, actorUnitCode: actor.unitCode, unitCode: outcome.unitCode, note: outcome.note,
            outcome: request.callbackResult?.rawValue,
            parts: MessageNote.parts(outcome.noteParts, system: command.systemNote))
        try await gate.exclusive { tx in
            guard let sql = tx as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "SQL database required")
            }
            let claimed = try await sql.update(Case.schema)
                .set("version", to: oldVersion + 1)
                .where("id", .equal, caseID).where("version", .equal, oldVersion)
                .returning("id").all()
            guard !claimed.isEmpty else { throw CaseActionError.concurrentChange(caseID) }
            // Again inside the transaction: an account disabled meanwhile is not sent out.
            if action == .assign || (action == .dispatchDown && outcome.record.assignee != nil) {
                try await checkAssignee(outcome.record.assignee, unit: outcome.unitCode, on: tx)
            }
            try await record.save(on: tx)
            try await event.create(on: tx)
            let eventID = try event.requireID()
            for (position, photo) in command.photos.enumerated() {
                try await CasePhoto(
                    caseID: caseID, eventID: eventID, position: position, at: now, upload: photo,
                    by: actor.name
                ).create(on: tx)
            }
            // In the same transaction: an action never answers 500 after it committed.
            try await RoutingExamples.record(action, on: record, by: actor.name, reference: reference, on: tx, now: now)
            // Last: on PostgreSQL the upsert locks counter rows other transactions share, until the commit.
            var delta = CaseCounters.Delta()
            delta.change(from: counted, to: record)
            try await CaseCounters.apply(delta, on: sql)
        }
        return record
    }

    /// How many levels a case can still be escalated: from the level of its unit's region up to the city
    /// (street → district → city), as ``CaseRuleReference/maxEscalationLevel(unitCode:regionCode:)`` counts.
    static func maxEscalationLevel(for record: Case, reference: CityReference) -> Int {
        reference.caseRules.maxEscalationLevel(unitCode: record.unitCode, regionCode: record.regionCode)
    }

    /// The unit of the enabled grid worker `name` whom a `dispatch_down` names; when the request also named a unit,
    /// the worker must belong to it.
    /// - Throws: ``CaseActionError/unknownGridWorker(_:unit:)``.
    private static func gridWorkerUnit(_ name: String, given: String?, on db: any Database) async throws -> String {
        var query = Operator.query(on: db).filter(\.$username == name).filter(\.$disabled == false)
            .filter(\.$role == .gridWorker)
        if let given, !given.isEmpty { query = query.filter(\.$unitCode == given) }
        guard let worker = try await query.first() else {
            throw CaseActionError.unknownGridWorker(name, unit: given.flatMap { $0.isEmpty ? nil : $0 })
        }
        return worker.unitCode
    }

    /// The grid worker `assign` names must be an enabled grid worker of `unit`, the unit holding the case (so that
    /// they can see it). One message for every miss, so that `assign` does not tell who exists elsewhere or in
    /// which role.
    private static func checkAssignee(_ name: String?, unit: String, on db: any Database) async throws {
        guard let name, !name.isEmpty else { throw CaseActionError.rule(.assigneeRequired) }
        let found = try await Operator.query(on: db).filter(\.$username == name).filter(\.$disabled == false)
            .filter(\.$role == .gridWorker).filter(\.$unitCode == unit).first()
        guard found != nil else { throw CaseActionError.unknownAssignee(name, unit: unit) }
    }
}
