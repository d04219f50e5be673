import CityDomain

/// What an audit event records (`case_events.action`): a workflow action, or a step the system takes outside the
/// workflow. Stored as one string: the ``CaseAction`` raw value (`dispatch`, `fail_verification`) or the system
/// step's code (`accept`, `forward`, `merge_report`, `split_report`, `time_limit`).
enum CaseEventAction: Hashable, Sendable, Codable, RawRepresentable {
    /// An operator's (or the escalation sweep's) workflow action.
    case workflow(CaseAction)
    /// 受理: a report was accepted and the case created.
    case accept
    /// A duplicate report was merged into the case.
    case mergeReport
    /// A wrongly merged report was split off into a new case.
    case splitReport
    /// The due instants were recounted (``TimeLimitRecheck``: a newer holiday table); earlier versions wrote
    /// time-limit notes under it too.
    case timeLimit
    /// One hop of the automatic dispatch chain between operations centres (city → district → street), before the
    /// final `dispatch` to the acting unit; the state stays `registered`.
    case forward
    /// 转办: an operator of an operations centre sent a report from the triage queue to the unit named, with the
    /// reason in the note (issue #12 §3); the case then lies with that unit.
    case transfer
    /// The sensor alarm that opened the case was cleared (by its clear condition or by hand).
    case alarmCleared
    /// The sensor alarm that opened the case was corrected by readings that arrived late (its raising or clearing
    /// moved, it was active again, or withdrawn).
    case alarmCorrected

    /// The stored code.
    var rawValue: String {
        switch self {
        case .workflow(let action): action.rawValue
        case .accept: "accept"
        case .mergeReport: "merge_report"
        case .splitReport: "split_report"
        case .timeLimit: "time_limit"
        case .forward: "forward"
        case .transfer: "transfer"
        case .alarmCleared: "alarm_cleared"
        case .alarmCorrected: "alarm_corrected"
        }
    }

    /// The event action a stored code names, or nil.
    init?(rawValue: String) {
        switch rawValue {
        case "accept": self = .accept
        case "merge_report": self = .mergeReport
        case "split_report": self = .splitReport
        case "time_limit": self = .timeLimit
        case "forward": self = .forward
        case "transfer": self = .transfer
        case "alarm_cleared": self = .alarmCleared
        case "alarm_corrected": self = .alarmCorrected
        default:
            guard let action = CaseAction(rawValue: rawValue) else { return nil }
            self = .workflow(action)
        }
    }

    /// The workflow action, if this is one.
    var workflowAction: CaseAction? {
        if case .workflow(let action) = self { return action }
        return nil
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let action = CaseEventAction(rawValue: code) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown case event action '\(code)'")
        }
        self = action
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
