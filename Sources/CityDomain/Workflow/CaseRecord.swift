import Foundation

/// A stored case as the case rules see it: its workflow snapshot, where it is and who holds it, extensions,
/// escalation and time limits. `CaseRules.apply` maps one record to the next; the app reads it from and writes it
/// back to its stored case.
///
/// All instants are absolute (`Date`); limits are counted in Asia/Shanghai working time by ``DeadlineCalculator``.
public struct CaseRecord: Equatable, Sendable {
    /// State, suspension, escalation level, pending extension request and rework count.
    public var workflow: CaseSnapshot
    /// The region the case is in (dispatching down to a unit inside it narrows it to the unit's region).
    public var regionCode: String
    /// The unit holding the case.
    public var unitCode: String
    /// Username of the grid worker sent out, if any; cleared when the case changes unit.
    public var assignee: String?
    /// The operations centre supervising it after an escalation (督办单位).
    public var supervisingUnitCode: String?
    /// Approved extension (延期) in working days, added after the base due instants of the handle step and the
    /// whole case.
    public var extensionDays: Int
    /// Working days asked for by a pending `requestExtension`, if the requester gave a number.
    public var requestedExtensionDays: Int?
    /// When the case was accepted: the overall limit counts from here.
    public var createdAt: Date
    /// When it was closed; nil while open.
    public var closedAt: Date?
    /// The step whose clock runs (``CaseWorkflow/step(for:)``); nil when closed or suspended.
    public var step: CaseStep?
    /// When the running step's clock started.
    public var stepStartedAt: Date
    /// When the running step is due; nil without a limit (or when it cannot be computed).
    public var stepDueAt: Date?
    /// When the whole case is due (from `createdAt`); nil as for `stepDueAt`.
    public var dueAt: Date?
    /// When the escalation sweep should look at it next; nil when it never should.
    public var escalateAt: Date?
    /// Start of the running suspension (挂账), if suspended.
    public var suspendedSince: Date?
    /// Closed suspension spans, removed from every count (DESIGN.md §4).
    public var suspensions: [DateInterval]
    /// Why a time limit could not be computed (e.g. the holiday table does not cover the year), else nil.
    public var timeLimitProblem: String?

    /// A record with the given fields; the defaults describe a case just accepted at `createdAt`, its clocks not
    /// yet started.
    public init(
        workflow: CaseSnapshot = CaseSnapshot(), regionCode: String, unitCode: String, assignee: String? = nil,
        supervisingUnitCode: String? = nil, extensionDays: Int = 0, requestedExtensionDays: Int? = nil,
        createdAt: Date, closedAt: Date? = nil, step: CaseStep? = nil, stepStartedAt: Date? = nil,
        stepDueAt: Date? = nil, dueAt: Date? = nil, escalateAt: Date? = nil, suspendedSince: Date? = nil,
        suspensions: [DateInterval] = [], timeLimitProblem: String? = nil
    ) {
        self.workflow = workflow
        self.regionCode = regionCode
        self.unitCode = unitCode
        self.assignee = assignee
        self.supervisingUnitCode = supervisingUnitCode
        self.extensionDays = extensionDays
        self.requestedExtensionDays = requestedExtensionDays
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.step = step
        self.stepStartedAt = stepStartedAt ?? createdAt
        self.stepDueAt = stepDueAt
        self.dueAt = dueAt
        self.escalateAt = escalateAt
        self.suspendedSince = suspendedSince
        self.suspensions = suspensions
        self.timeLimitProblem = timeLimitProblem
    }

    /// The workflow state.
    public var state: CaseState { workflow.state }
}
