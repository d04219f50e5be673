/// Where a case stands in the workflow of CJ/T 315-2009 / GB/T 30428 (受理 → 立案 → 派遣 → 处置 → 核查 → 结案).
///
/// Raw values are the strings stored in the database and sent over the API. Transitions are in `CaseWorkflow`.
public enum CaseState: String, Codable, CaseIterable, Sendable {
    /// 已受理: a report was accepted and a case created; the centre has not yet registered it.
    case accepted
    /// 已立案: registered as a case the city must act on; waiting to be dispatched.
    case registered
    /// 已派遣: dispatched to a responsible unit, not yet taken up.
    case dispatched
    /// 处置中: the unit (or a grid worker) is handling it.
    case handling
    /// 待核查: the unit reports it handled; waiting for someone else to verify on site.
    case handled
    /// 已核查: verified as handled; waiting to be closed.
    case verified
    /// 已结案: closed. The only state that is not open.
    case closed
    /// 已退回: the unit returned it (wrong unit, not its remit) to the centre for reassignment.
    case returned
    /// 挂账(暂停计时): suspended, its clock stopped (DESIGN.md §4); `CaseSnapshot.stateBeforeSuspension` says
    /// where it resumes.
    case suspended

    /// Whether the case still needs work: every state except `closed`.
    public var isOpen: Bool { self != .closed }

    /// The Chinese label shown to operators.
    public var nameZh: String {
        switch self {
        case .accepted: return "已受理"
        case .registered: return "已立案"
        case .dispatched: return "已派遣"
        case .handling: return "处置中"
        case .handled: return "待核查"
        case .verified: return "已核查"
        case .closed: return "已结案"
        case .returned: return "已退回"
        case .suspended: return "挂账（暂停计时）"
        }
    }

    /// The English label shown to operators who chose English.
    public var nameEn: String {
        switch self {
        case .accepted: return "Accepted"
        case .registered: return "Registered"
        case .dispatched: return "Dispatched"
        case .handling: return "Being handled"
        case .handled: return "Awaiting verification"
        case .verified: return "Verified"
        case .closed: return "Closed"
        case .returned: return "Returned"
        case .suspended: return "Suspended (clock stopped)"
        }
    }
}
