import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// An operator's request to move a case.
struct CaseCommand: Sendable {
    var action: CaseAction
    var note: String?
    /// Target unit for `dispatch` and `reassign`.
    var unitCode: String?
    /// Working days asked for by `request_extension` or granted by `approve_extension` (1…30).
    var extensionDays: Int?
    /// Username of the grid worker `assign` sends out: an enabled grid worker of the unit holding the case.
    var assignee: String? = nil
    /// Photos sent with the action (a resolve's evidence), already checked; stored with its audit event.
    var photos: [PhotoUpload] = []
}

/// Why an action was refused. Mapped to 400/403/404/409 at the edge; nothing has been written.
enum CaseActionError: Error, Equatable, CustomStringConvertible {
    case notFound(Int)
    case illegal(CaseTransitionError)
    case roleNotAllowed(action: CaseAction, role: OperatorRole)
    case noteRequired(CaseAction)
    case unitRequired(CaseAction)
    case unknownUnit(String)
    case invalidExtension(Int?)
    case concurrentChange(Int)
    case unitOutsideRegion(unit: String, region: String)
    case selfVerification(String)
    case sameUnit(String)
    case limitNotComputable(String)
    case assigneeRequired
    case unknownAssignee(String, unit: String)
    case alreadyAssigned(String)
    case photosNotTaken(CaseAction)

    var description: String {
        switch self {
        case .notFound(let id): "case \(id) not found"
        case .illegal(let error): error.description
        case .roleNotAllowed(let action, let role):
            "role '\(role.rawValue)' may not perform '\(action.rawValue)'"
        case .noteRequired(let action): "action '\(action.rawValue)' needs a note giving the reason"
        case .unitRequired(let action): "action '\(action.rawValue)' needs unit_code: the unit to send the case to"
        case .unknownUnit(let code): "unknown unit_code '\(code)'"
        case .invalidExtension(let days):
            "extension_days must be a whole number of working days between 1 and 30, got \(days.map(String.init) ?? "none") (approve_extension needs it unless the request named it)"
        case .concurrentChange(let id): "case \(id) was changed by someone else meanwhile; reload it and try again"
        case .unitOutsideRegion(let unit, let region):
            "unit '\(unit)' does not serve region '\(region)': choose a unit of that region, one above it or one inside it"
        case .sameUnit(let unit): "the case is already with '\(unit)'; reassign it to another unit"
        case .limitNotComputable(let problem):
            "the new time limit cannot be computed, so nothing was changed: \(problem)"
        case .assigneeRequired: "action 'assign' needs assignee: the username of the grid worker to send"
        case .unknownAssignee(let name, let unit):
            "'\(name)' is not an enabled grid worker of '\(unit)', the unit holding the case (only they can be sent)"
        case .alreadyAssigned(let name): "the case is already assigned to '\(name)'"
        case .photosNotTaken(let action):
            "action '\(action.rawValue)' takes no photos; photos go with "
                + CaseAction.allCases.filter(\.takesPhotos).map(\.rawValue).joined(separator: ", ")
        case .selfVerification(let actor):
            "'\(actor)' resolved this case and may not verify it: verification is done by someone else (CJ/T 315 核查)"
        }
    }
}

/// Performs workflow actions on stored cases: validates them against ``CaseWorkflow``, applies side effects
/// (unit changes, clock stops, extensions, escalation), recomputes time limits and appends the audit event, all in
/// one transaction guarded by the case's version.
enum CaseActions {
    static let maxExtensionDays = 30

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
        if let role = actor.role, !CaseWorkflow.roles(allowedFor: action).contains(role) {
            throw CaseActionError.roleNotAllowed(action: action, role: role)
        }
        let note = command.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action.requiresNote, (note ?? "").isEmpty { throw CaseActionError.noteRequired(action) }
        if !command.photos.isEmpty, !action.takesPhotos { throw CaseActionError.photosNotTaken(action) }

        let maxLevel = maxEscalationLevel(for: record, reference: reference)
        let before = record.snapshot
        let after: CaseSnapshot
        do { after = try CaseWorkflow.apply(action, to: before, maxEscalationLevel: maxLevel) } catch {
            throw CaseActionError.illegal(error)
        }
        if action == .verify || action == .failVerification, actor.role != nil {
            let resolved = try await CaseEvent.query(on: db).filter(\.$caseID == caseID)
                .filter(\.$action == .workflow(.resolve)).sort(\.$id, .descending).first()
            if resolved?.actor == actor.name { throw CaseActionError.selfVerification(actor.name) }
        }
        if action == .assign {
            try await checkAssignee(command.assignee, unit: record.unitCode, on: db)
            if record.assignee == command.assignee { throw CaseActionError.alreadyAssigned(record.assignee ?? "") }
        }
        let category = reference.taxonomy[record.categoryCode]
        let oldVersion = record.version
        let oldEscalateAt = record.escalateAt
        let oldProblem = record.timeLimitProblem
        let oldAssignee = record.assignee
        try applySideEffects(command, to: record, by: actor, reference: reference, now: now)
        record.snapshot = after
        record.version = oldVersion + 1
        record.updatedAt = now
        record.closedAt = after.state == .closed ? now : nil
        if let category {
            let stepChanged = CaseWorkflow.step(for: after.state) != CaseWorkflow.step(for: before.state)
            let newAssignment: Set<CaseAction> = [.dispatch, .reassign, .reopen, .failVerification]
            // A new assignment or a new step restarts the step clock; `start` (签收) keeps the handle clock running.
            if newAssignment.contains(action) || (stepChanged && action != .suspend && action != .resume) {
                CaseTimers.startStep(of: record, category: category, calculator: reference.deadlines, now: now)
            } else {
                CaseTimers.recompute(record, category: category, calculator: reference.deadlines)
            }
            if action == .escalate {
                record.escalateAt = nextEscalation(record, category, reference, now, maxLevel)
            } else if record.escalationLevel > 0, let oldEscalateAt, let computed = record.escalateAt {
                // After an escalation the next one waits a full step limit, whatever an operator does meanwhile.
                record.escalateAt = max(oldEscalateAt, computed)
            }
            if record.suspendedSince != nil { record.escalateAt = nil }
        }
        if let problem = record.timeLimitProblem, oldProblem == nil, action == .approveExtension {
            // Granting days the calendar cannot count would silently leave the case without any time limit.
            throw CaseActionError.limitNotComputable(problem)
        }
        let event = CaseEvent(
            caseID: caseID, at: now, action: .workflow(action), from: before.state,
            to: after.state, actor: actor.name, actorUnitCode: actor.unitCode, unitCode: record.unitCode,
            note: eventNote(command, note: note, record: record, previousAssignee: oldAssignee))
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
            if action == .assign { try await checkAssignee(record.assignee, unit: record.unitCode, on: tx) }
            try await record.save(on: tx)
            try await event.create(on: tx)
            let eventID = try event.requireID()
            for (position, photo) in command.photos.enumerated() {
                try await CasePhoto(
                    caseID: caseID, eventID: eventID, position: position, at: now, upload: photo,
                    by: actor.name
                ).create(on: tx)
            }
        }
        return record
    }

    /// How many levels a case can still be escalated: from the level of its unit's region up to the city
    /// (street → district → city).
    static func maxEscalationLevel(for record: Case, reference: CityReference) -> Int {
        let unitRegion = reference.units[record.unitCode]?.regionCode ?? record.regionCode
        return max(0, reference.hierarchy.ancestors(of: unitRegion).count - 1)
    }

    /// The grid worker `assign` names must be an enabled grid worker of `unit`, the unit holding the case (so that
    /// they can see it). One message for every miss, so that `assign` does not tell who exists elsewhere or in
    /// which role.
    private static func checkAssignee(_ name: String?, unit: String, on db: any Database) async throws {
        guard let name, !name.isEmpty else { throw CaseActionError.assigneeRequired }
        let found = try await Operator.query(on: db).filter(\.$username == name).filter(\.$disabled == false)
            .filter(\.$role == .gridWorker).filter(\.$unitCode == unit).first()
        guard found != nil else { throw CaseActionError.unknownAssignee(name, unit: unit) }
    }

    private static func applySideEffects(
        _ command: CaseCommand, to record: Case, by actor: CaseActor, reference: CityReference, now: Date
    ) throws {
        switch command.action {
        case .dispatch, .reassign:
            guard let code = command.unitCode, !code.isEmpty else { throw CaseActionError.unitRequired(command.action) }
            guard let unit = reference.units[code] else { throw CaseActionError.unknownUnit(code) }
            if command.action == .reassign, code == record.unitCode { throw CaseActionError.sameUnit(code) }
            let hierarchy = reference.hierarchy
            if hierarchy.isWithin(unit.regionCode, ancestor: record.regionCode) {
                record.regionCode = unit.regionCode  // dispatching down narrows where the case is
            } else if !hierarchy.isWithin(record.regionCode, ancestor: unit.regionCode) {
                throw CaseActionError.unitOutsideRegion(unit: code, region: record.regionCode)
            }
            record.unitCode = code
            record.assignee = nil  // another unit sends its own people
        case .return:
            if let centre = reference.operationsCentre(for: record.regionCode) { record.unitCode = centre.code }
            record.assignee = nil
        case .assign:
            record.assignee = command.assignee
        case .start:
            // The grid worker who takes the case up (签收) is the one out on it, also when a colleague was named.
            if actor.role == .gridWorker { record.assignee = actor.name }
        case .suspend:
            record.suspendedSince = now
        case .resume:
            if let since = record.suspendedSince {
                record.suspensionIntervals += [DateInterval(start: since, end: max(now, since))]
            }
            record.suspendedSince = nil
        case .requestExtension:
            if let days = command.extensionDays, !(1...maxExtensionDays).contains(days) {
                throw CaseActionError.invalidExtension(days)
            }
            record.requestedExtensionDays = command.extensionDays
        case .approveExtension:
            // The approver may grant fewer (or more) days than asked; without a number, what was asked.
            let days = command.extensionDays ?? record.requestedExtensionDays
            guard let days, (1...maxExtensionDays).contains(days) else {
                throw CaseActionError.invalidExtension(days)
            }
            record.extensionDays += days
            record.requestedExtensionDays = nil
        case .escalate:
            let targetLevel = record.escalationLevel + 1
            let unitRegion = reference.units[record.unitCode]?.regionCode ?? record.regionCode
            let ancestors = reference.hierarchy.ancestors(of: unitRegion)
            if targetLevel < ancestors.count {
                record.supervisingUnitCode = reference.operationsCentre(for: ancestors[targetLevel].code)?.code
            }
        default:
            break
        }
    }

    /// After an escalation, the sweep looks again one more step limit later, or never at the top level.
    private static func nextEscalation(
        _ record: Case, _ category: Category, _ reference: CityReference, _ now: Date, _ maxLevel: Int
    ) -> Date? {
        guard record.escalationLevel < maxLevel,
            let step = record.step,
            let limit = category.limits?.limit(for: step) ?? category.limits?.handle
        else { return nil }
        do { return try reference.deadlines.due(start: now, limit: limit, clock: category.clock) } catch {
            record.timeLimitProblem = "next escalation: \(error)"
            return nil
        }
    }

    private static func eventNote(_ command: CaseCommand, note: String?, record: Case, previousAssignee: String?)
        -> String?
    {
        var parts: [String] = []
        if let note, !note.isEmpty { parts.append(note) }
        if command.action == .approveExtension { parts.append("累计延期 \(record.extensionDays) 个工作日") }
        if command.action == .requestExtension, let days = command.extensionDays { parts.append("申请 \(days) 个工作日") }
        if command.action == .escalate, let unit = record.supervisingUnitCode { parts.append("督办单位 \(unit)") }
        if record.assignee != previousAssignee, let name = record.assignee {
            parts.append(previousAssignee.map { "网格员 \(name)（原 \($0)）" } ?? "网格员 \(name)")
        }
        if !command.photos.isEmpty { parts.append("照片 \(command.photos.count) 张") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
