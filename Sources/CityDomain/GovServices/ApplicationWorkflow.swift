import Foundation

/// Where an application (办件) stands. Raw values are the stored codes.
public enum ApplicationState: String, Codable, Sendable, CaseIterable {
    /// 已提交: sent by the citizen, not yet looked at.
    case submitted
    /// 已受理: accepted; the promised and legal clocks run from here.
    case accepted
    /// 待补正: returned to the citizen for completion; the clocks stand still until the citizen answers.
    case returnedForCompletion = "returned_for_completion"
    /// 审核中.
    case underReview = "under_review"
    /// 准予: approved, result not yet issued.
    case approved
    /// 不予: refused, with a reason (final).
    case refused
    /// 已出证: the result (licence, certificate, payment) issued.
    case resultIssued = "result_issued"
    /// 办结: done; the citizen may rate it.
    case done

    /// Whether no further step can follow.
    public var isFinal: Bool { self == .refused || self == .done }

    /// Whether the clocks run (accepted and not yet decided, not waiting for completion).
    public var clockRuns: Bool { self == .accepted || self == .underReview }
}

/// A step taken on an application. Raw values are the stored codes.
public enum ApplicationAction: String, Codable, Sendable, CaseIterable {
    /// 受理 (caseworker): submitted → accepted.
    case accept
    /// 补正告知 (caseworker, reason required): submitted/accepted/under review → returned for completion.
    case requestCompletion = "request_completion"
    /// 补正提交 (the citizen): returned for completion → accepted (if it had been accepted before) or submitted.
    case complete
    /// 审核 (caseworker): accepted → under review.
    case review
    /// 准予 (caseworker): under review → approved.
    case approve
    /// 不予 (caseworker, reason required): submitted/accepted/under review → refused.
    case refuse
    /// 出证 (caseworker): approved → result issued.
    case issue
    /// 办结 (caseworker): result issued → done.
    case finish

    /// Whether the citizen (not the caseworker) takes this step.
    public var byCitizen: Bool { self == .complete }

    /// Whether the step needs a reason (告知 the citizen what to complete, or why it was refused).
    public var needsReason: Bool { self == .requestCompletion || self == .refuse }
}

/// Why a step cannot be taken.
public enum ApplicationRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case illegal(action: ApplicationAction, state: ApplicationState)
    case reasonRequired(ApplicationAction)

    public var description: String {
        switch self {
        case .illegal(let action, let state):
            "'\(action.rawValue)' is not possible while the application is \(state.rawValue)"
        case .reasonRequired(let action): "'\(action.rawValue)' needs a reason the citizen can act on"
        }
    }
}

/// The state machine of an application: submitted → accepted | returned for completion → under review →
/// approved | refused → result issued → done (issue #13 §3; 补正 stops the clock, Administrative Licensing Law
/// art. 32 and 45).
public enum ApplicationWorkflow {
    /// The state after `action` in `state`.
    /// - Parameters:
    ///   - wasAccepted: whether the application had been accepted before (a completion then returns it to
    ///     `accepted`, else to `submitted`).
    ///   - reason: the caseworker's reason, required by ``ApplicationAction/needsReason``.
    /// - Throws: ``ApplicationRuleError``.
    public static func next(
        after action: ApplicationAction, in state: ApplicationState, wasAccepted: Bool, reason: String?
    ) throws(ApplicationRuleError) -> ApplicationState {
        if action.needsReason, (reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "").isEmpty {
            throw .reasonRequired(action)
        }
        switch (action, state) {
        case (.accept, .submitted): return .accepted
        case (.requestCompletion, .submitted), (.requestCompletion, .accepted), (.requestCompletion, .underReview):
            return .returnedForCompletion
        case (.complete, .returnedForCompletion): return wasAccepted ? .accepted : .submitted
        case (.review, .accepted): return .underReview
        case (.approve, .underReview): return .approved
        case (.refuse, .submitted), (.refuse, .accepted), (.refuse, .underReview): return .refused
        case (.issue, .approved): return .resultIssued
        case (.finish, .resultIssued): return .done
        default: throw .illegal(action: action, state: state)
        }
    }
}
