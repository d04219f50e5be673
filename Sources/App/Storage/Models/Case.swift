import CityDomain
import Fluent
import Foundation

/// The unit of work: one incident, dispatched to one unit, timed and closed. Reports attach to it.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class Case: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    /// Optimistic-concurrency counter: every change claims `version = version + 1 WHERE version = old`.
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?

    // What and where.
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "priority") var priority: CasePriority
    @OptionalField(key: "description") var description: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @Field(key: "region_code") var regionCode: String
    @Field(key: "locate_method") var locateMethod: String
    /// Street codes an ambiguous place name could mean, comma-separated (empty when unambiguous).
    @Field(key: "locate_candidates") var locateCandidates: String
    @Field(key: "report_count") var reportCount: Int

    // Workflow.
    @Field(key: "state") var state: CaseState
    /// While suspended, the state the case resumes to.
    @OptionalField(key: "state_before_suspension") var stateBeforeSuspension: CaseState?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "first_unit_code") var firstUnitCode: String
    @Field(key: "dispatch_rule") var dispatchRule: String
    @Field(key: "dispatch_reason") var dispatchReason: String
    /// What chose the unit at intake: ``CityDomain/DispatchBasis/code`` (the category's rule, a phrase-selected
    /// alternative, or a learned signal); nil on cases dispatched before it was kept.
    @OptionalField(key: "dispatch_basis") var dispatchBasis: String?
    @Field(key: "escalation_level") var escalationLevel: Int
    @OptionalField(key: "supervising_unit_code") var supervisingUnitCode: String?
    @Field(key: "extension_requested") var extensionRequested: Bool
    @Field(key: "extension_days") var extensionDays: Int
    /// Working days asked for by a pending `request_extension`, if the requester gave a number.
    @OptionalField(key: "requested_extension_days") var requestedExtensionDays: Int?
    @Field(key: "reopen_count") var reopenCount: Int
    /// The last callback's result since the case was last closed (``CallbackResult``); nil before any.
    @OptionalField(key: "callback_result") var callbackResult: CallbackResult?
    /// Username of the grid worker sent out (`assign`); cleared when the case changes unit.
    @OptionalField(key: "assignee") var assignee: String?

    // Time limits (all instants; shown in Asia/Shanghai).
    /// The step whose clock runs (nil when closed or suspended).
    @OptionalField(key: "step") var step: CaseStep?
    @Field(key: "step_started_at") var stepStartedAt: Date
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "escalate_at") var escalateAt: Date?
    @OptionalField(key: "suspended_since") var suspendedSince: Date?
    /// Closed suspension spans as JSON `[[startEpochSeconds, endEpochSeconds], …]`.
    @Field(key: "suspensions") var suspensions: String
    /// Why a time limit could not be computed (e.g. the holiday table does not cover the year), else nil.
    @OptionalField(key: "time_limit_problem") var timeLimitProblem: String?

    init() {}
}

extension Case {
    /// The workflow view of this case, for ``CaseWorkflow``.
    var snapshot: CaseSnapshot {
        get {
            CaseSnapshot(
                state: state, stateBeforeSuspension: stateBeforeSuspension,
                escalationLevel: escalationLevel, extensionRequested: extensionRequested, reopenCount: reopenCount,
                callbackResult: callbackResult)
        }
        set {
            state = newValue.state
            stateBeforeSuspension = newValue.stateBeforeSuspension
            escalationLevel = newValue.escalationLevel
            extensionRequested = newValue.extensionRequested
            reopenCount = newValue.reopenCount
            callbackResult = newValue.callbackResult
        }
    }

    /// The case as ``CaseRules`` reads and changes it. Setting it writes back every field the rules may change
    /// (workflow, region, unit, grid worker, supervision, extensions, time limits).
    var caseRecord: CaseRecord {
        get {
            CaseRecord(
                workflow: snapshot, regionCode: regionCode, unitCode: unitCode, assignee: assignee,
                supervisingUnitCode: supervisingUnitCode, extensionDays: extensionDays,
                requestedExtensionDays: requestedExtensionDays, createdAt: createdAt, closedAt: closedAt, step: step,
                stepStartedAt: stepStartedAt, stepDueAt: stepDueAt, dueAt: dueAt, escalateAt: escalateAt,
                suspendedSince: suspendedSince, suspensions: suspensionIntervals, timeLimitProblem: timeLimitProblem)
        }
        set {
            snapshot = newValue.workflow
            regionCode = newValue.regionCode
            unitCode = newValue.unitCode
            assignee = newValue.assignee
            supervisingUnitCode = newValue.supervisingUnitCode
            extensionDays = newValue.extensionDays
            requestedExtensionDays = newValue.requestedExtensionDays
            closedAt = newValue.closedAt
            step = newValue.step
            stepStartedAt = newValue.stepStartedAt
            stepDueAt = newValue.stepDueAt
            dueAt = newValue.dueAt
            escalateAt = newValue.escalateAt
            suspendedSince = newValue.suspendedSince
            suspensionIntervals = newValue.suspensions
            timeLimitProblem = newValue.timeLimitProblem
        }
    }

    /// Closed suspension spans decoded from ``suspensions``.
    var suspensionIntervals: [DateInterval] {
        get {
            if suspensions == "[]" { return [] }  // almost every case: skip the decoder on the intake path
            let pairs = (try? JSONDecoder().decode([[Double]].self, from: Data(suspensions.utf8))) ?? []
            return pairs.compactMap { pair in
                guard pair.count == 2, pair[1] >= pair[0] else { return nil }
                return DateInterval(
                    start: Date(timeIntervalSince1970: pair[0]), end: Date(timeIntervalSince1970: pair[1]))
            }
        }
        set {
            if newValue.isEmpty {
                suspensions = "[]"
                return
            }
            let pairs = newValue.map { [$0.start.timeIntervalSince1970, $0.end.timeIntervalSince1970] }
            suspensions = String(decoding: (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8), as: UTF8.self)
        }
    }
}
