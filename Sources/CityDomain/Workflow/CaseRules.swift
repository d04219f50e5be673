import Foundation

/// The case rules around the state machine: who may act and with what, where a case may be sent, extensions,
/// escalation and its supervising centre, and the time limits each step restarts or keeps.
///
/// Pure functions of a ``CaseRecord`` and the city's reference data, in the shape of ``CaseWorkflow/apply(_:to:maxEscalationLevel:)``:
/// the app loads the stored case, checks what needs its database (that the verifier is not who resolved the case,
/// that a grid worker exists), applies the rules, claims the case's version and writes the result with its audit
/// event. Steps and limits after CJ/T 315-2009 / GB/T 30428; extensions and suspensions as in DESIGN.md §4.
public enum CaseRules {
    /// The most working days one extension may ask for or grant.
    public static let maxExtensionDays = 30

    /// Actions that give the case to someone new, so their step clock starts afresh even when the step stays the
    /// same (dispatched → dispatched on reassignment; handling → handling after a failed verification).
    public static let newAssignments: Set<CaseAction> = [
        .dispatch, .reassign, .dispatchDown, .reopen, .failVerification,
    ]

    /// The first checks of ``apply(_:to:actor:role:category:reference:now:)``, those that do not depend on the
    /// request's inputs beyond the note and photos: the app runs its database checks after these, so that refusals
    /// come in the same order whoever makes them.
    /// - Parameters:
    ///   - request: what is asked.
    ///   - record: the case before.
    ///   - role: the actor's role; nil for the system itself (intake, the escalation sweep), which may do any step.
    ///   - maxEscalationLevel: as ``CaseRuleReference/maxEscalationLevel(unitCode:regionCode:)`` gives it.
    /// - Returns: the workflow snapshot after the action; a `callback` records its result in it.
    /// - Throws: ``CaseRuleError/roleNotAllowed(action:role:)``, ``CaseRuleError/noteRequired(_:)`` (a blank note
    ///   counts as none), ``CaseRuleError/photosNotTaken(_:)``, ``CaseRuleError/callbackResultRequired`` /
    ///   ``CaseRuleError/callbackResultNotTaken(_:)``, ``CaseRuleError/illegal(_:)``, in that order.
    public static func check(
        _ request: CaseRequest, on record: CaseRecord, role: OperatorRole?, maxEscalationLevel: Int
    )
        throws(CaseRuleError) -> CaseSnapshot
    {
        let action = request.action
        if let role, !CaseWorkflow.roles(allowedFor: action).contains(role) {
            throw .roleNotAllowed(action: action, role: role)
        }
        if action.requiresNote, trimmed(request.note).isEmpty { throw .noteRequired(action) }
        if request.photoCount > 0, !action.takesPhotos { throw .photosNotTaken(action) }
        if action == .callback, request.callbackResult == nil { throw .callbackResultRequired }
        if action != .callback, request.callbackResult != nil { throw .callbackResultNotTaken(action) }
        var next: CaseSnapshot
        do {
            next = try CaseWorkflow.apply(action, to: record.workflow, maxEscalationLevel: maxEscalationLevel)
        } catch {
            throw .illegal(error)
        }
        if action == .callback { next.callbackResult = request.callbackResult }
        return next
    }

    /// The case after `request`, with what its audit event records.
    ///
    /// Besides the state (``CaseWorkflow``), an action changes:
    /// - `dispatch`, `reassign`: the unit, which must serve the case's region: a unit inside it narrows the case to
    ///   the unit's region, one above it is allowed, any other is refused; `reassign` to the same unit is refused.
    ///   The grid worker is cleared (another unit sends its own people).
    /// - `return`: the case goes to the operations centre of its region; the grid worker is cleared.
    /// - `dispatchDown` (下派), `returnUp` (上退): only by the street/town centre holding the case
    ///   (``holdingStreet(_:_:role:actorUnitCode:_:)``): down to a unit of that street (and the grid worker named,
    ///   if any), or up to the district's operations centre.
    /// - `assign`: the grid worker named; `start` by a grid worker: that grid worker (who signs for it is on it).
    /// - `suspend` / `resume`: the running suspension starts / is closed into `suspensions`.
    /// - `requestExtension` (optionally naming 1…30 days), `approveExtension` (the days given, else those asked
    ///   for; 1…30): approved days add up in `extensionDays`.
    /// - `escalate`: the supervising centre becomes the operations centre one level above the last.
    /// - `close` stamps `closedAt`; `callback` keeps it; any other action clears it.
    ///
    /// Time limits, when the category is known: a new assignment (``newAssignments``) or a new step (other than by
    /// `suspend`/`resume`) restarts the step clock at `now`; otherwise the limits are recomputed (``CaseRecord/recomputeTimeLimits(category:deadlines:)``).
    /// After an escalation the sweep next looks one full step limit later, or never at the top level; while a case
    /// stays escalated no operator action brings that look forward; a suspended case is never looked at.
    ///
    /// - Parameters:
    ///   - actor: who acts (a username, or `system`): a grid worker who starts the case is put on it.
    ///   - role: the actor's role; nil for the system.
    ///   - actorUnitCode: the actor's unit: a street operator re-dispatches or returns up only a case their own centre
    ///     holds; nil for the system.
    ///   - category: the case's category; nil when the taxonomy no longer has it (limits are then left alone).
    ///   - reference: regions, units and the deadline calculator.
    ///   - now: the instant of the action.
    /// - Throws: ``CaseRuleError``: the refusals of ``check(_:on:role:maxEscalationLevel:)``, then
    ///   `assigneeRequired` / `alreadyAssigned`, the unit and extension refusals, and `limitNotComputable` when an
    ///   approved extension leaves a limit the calendar cannot count.
    public static func apply(
        _ request: CaseRequest, to before: CaseRecord, actor: String, role: OperatorRole?,
        actorUnitCode: String? = nil, category: Category?, reference: CaseRuleReference, now: Date
    ) throws(CaseRuleError) -> CaseRuleOutcome {
        let action = request.action
        let maxLevel = reference.maxEscalationLevel(unitCode: before.unitCode, regionCode: before.regionCode)
        let after = try check(request, on: before, role: role, maxEscalationLevel: maxLevel)
        if action == .assign {
            guard let name = request.assignee, !name.isEmpty else { throw .assigneeRequired }
            if before.assignee == name { throw .alreadyAssigned(name) }
        }
        var record = before
        try applySideEffects(
            request, to: &record, actor: actor, role: role, actorUnitCode: actorUnitCode, reference: reference,
            now: now)
        record.workflow = after
        // A callback leaves the case closed when it was: its closing time stays.
        record.closedAt = after.state == .closed ? (before.state == .closed ? before.closedAt ?? now : now) : nil
        if let category {
            let deadlines = reference.deadlines
            let stepChanged = CaseWorkflow.step(for: after.state) != CaseWorkflow.step(for: before.state)
            // A new assignment or a new step restarts the step clock; `start` (签收) keeps the handle clock running.
            if newAssignments.contains(action) || (stepChanged && action != .suspend && action != .resume) {
                record.startStep(category: category, deadlines: deadlines, now: now)
            } else {
                record.recomputeTimeLimits(category: category, deadlines: deadlines)
            }
            if action == .escalate {
                record.escalateAt = record.nextEscalation(
                    category: category, deadlines: deadlines, now: now, maxLevel: maxLevel)
            }
            record.settleEscalationLook(previous: action == .escalate ? nil : before.escalateAt)
        }
        if let problem = record.timeLimitProblem, before.timeLimitProblem == nil, action == .approveExtension {
            // Granting days the calendar cannot count would silently leave the case without any time limit.
            throw .limitNotComputable(problem)
        }
        return CaseRuleOutcome(
            record: record, action: action, fromState: before.state, toState: after.state,
            noteParts: auditNote(request, after: record, previousAssignee: before.assignee))
    }

    /// The unit, grid worker, suspension, extension and supervision changes of `request` (the state changes
    /// separately).
    private static func applySideEffects(
        _ request: CaseRequest, to record: inout CaseRecord, actor: String, role: OperatorRole?,
        actorUnitCode: String?, reference: CaseRuleReference, now: Date
    ) throws(CaseRuleError) {
        switch request.action {
        case .dispatch, .reassign:
            let unit = try eligibleUnit(request, for: record, reference: reference)
            if reference.hierarchy.isWithin(unit.regionCode, ancestor: record.regionCode) {
                record.regionCode = unit.regionCode  // dispatching down narrows where the case is
            }
            record.unitCode = unit.code
            record.assignee = nil  // another unit sends its own people
        case .return:
            if let centre = reference.operationsCentre(for: record.regionCode) { record.unitCode = centre.code }
            record.assignee = nil
        case .assign:
            record.assignee = request.assignee
        case .start:
            // The grid worker who takes the case up (签收) is the one out on it, also when a colleague was named.
            if role == .gridWorker { record.assignee = actor }
        case .suspend:
            record.suspendedSince = now
        case .resume:
            if let since = record.suspendedSince {
                record.suspensions.append(DateInterval(start: since, end: max(now, since)))
            }
            record.suspendedSince = nil
        case .requestExtension:
            if let days = request.extensionDays, !(1...maxExtensionDays).contains(days) {
                throw .invalidExtension(days)
            }
            record.requestedExtensionDays = request.extensionDays
        case .approveExtension:
            // The approver may grant fewer (or more) days than asked; without a number, what was asked.
            let days = request.extensionDays ?? record.requestedExtensionDays
            guard let days, (1...maxExtensionDays).contains(days) else { throw .invalidExtension(days) }
            record.extensionDays += days
            record.requestedExtensionDays = nil
        case .escalate:
            // The centre one level above the last supervises; above the city there is none to add.
            let level = record.workflow.escalationLevel + 1
            if level <= reference.maxEscalationLevel(unitCode: record.unitCode, regionCode: record.regionCode) {
                let centre = reference.supervisingCentre(
                    unitCode: record.unitCode, regionCode: record.regionCode, level: level)
                record.supervisingUnitCode = centre?.code
            }
        case .dispatchDown:
            let street = try holdingStreet(request.action, record, role: role, actorUnitCode: actorUnitCode, reference)
            let unit = try streetUnit(request, street: street, reference: reference)
            if reference.hierarchy.isWithin(unit.regionCode, ancestor: record.regionCode) {
                record.regionCode = unit.regionCode
            }
            record.unitCode = unit.code
            record.assignee = request.assignee
        case .returnUp:
            let street = try holdingStreet(request.action, record, role: role, actorUnitCode: actorUnitCode, reference)
            guard let parent = street.parentCode, let centre = reference.operationsCentre(for: parent) else {
                throw .noCentreAbove(street.code)
            }
            record.unitCode = centre.code
            record.assignee = nil
        case .register, .resolve, .verify, .failVerification, .close, .reopen, .callback:
            break
        }
    }

    /// The unit `dispatch` or `reassign` names, if it may take the case: it exists, it is not the unit holding a
    /// reassigned case, and its region is inside the case's region or above it.
    private static func eligibleUnit(_ request: CaseRequest, for record: CaseRecord, reference: CaseRuleReference)
        throws(CaseRuleError) -> Unit
    {
        guard let code = request.unitCode, !code.isEmpty else { throw .unitRequired(request.action) }
        guard let unit = reference.units[code] else { throw .unknownUnit(code) }
        if request.action == .reassign, code == record.unitCode { throw .sameUnit(code) }
        let hierarchy = reference.hierarchy
        guard
            hierarchy.isWithin(unit.regionCode, ancestor: record.regionCode)
                || hierarchy.isWithin(record.regionCode, ancestor: unit.regionCode)
        else { throw .unitOutsideRegion(unit: code, region: record.regionCode) }
        return unit
    }

    /// The audit note's parts: the operator's note, then what the action changed (extension days, supervising centre,
    /// grid worker, photos); empty when there is nothing to say.
    private static func auditNote(_ request: CaseRequest, after record: CaseRecord, previousAssignee: String?)
        -> [AuditNotePart]
    {
        var parts: [AuditNotePart] = []
        let note = trimmed(request.note)
        if !note.isEmpty { parts.append(.words(note)) }
        switch request.action {
        case .approveExtension: parts.append(.extensionTotal(record.extensionDays))
        case .requestExtension: if let days = request.extensionDays { parts.append(.extensionRequested(days)) }
        case .escalate: if let unit = record.supervisingUnitCode { parts.append(.supervisingUnit(unit)) }
        default: break
        }
        if record.assignee != previousAssignee, let name = record.assignee {
            parts.append(.gridWorker(name, previous: previousAssignee))
        }
        if request.photoCount > 0 { parts.append(.photos(request.photoCount)) }
        return parts
    }

    private static func trimmed(_ text: String?) -> String {
        text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}

/// A case after ``CaseRules/apply(_:to:actor:role:category:reference:now:)``, with what its audit event records.
public struct CaseRuleOutcome: Equatable, Sendable {
    /// The case after the action.
    public var record: CaseRecord
    /// The action performed.
    public var action: CaseAction
    /// The state before.
    public var fromState: CaseState
    /// The state after.
    public var toState: CaseState
    /// The audit note's parts: the operator's note (trimmed) and what the action changed.
    public var noteParts: [AuditNotePart]
    /// The audit note as stored in `case_events.note`: the parts in Chinese joined by "; "; nil when there are none.
    public var note: String? { noteParts.isEmpty ? nil : noteParts.map(\.zh).joined(separator: "; ") }

    /// The unit responsible after the action.
    public var unitCode: String { record.unitCode }
}
