/// One part of an action's audit note (``CaseRuleOutcome/noteParts``): the operator's own words, or something the
/// action changed that the system states. The app stores the Chinese text (``zh``) as the note and the parts as
/// codes, so pages word the system's parts in the reader's language.
public enum AuditNotePart: Equatable, Sendable {
    /// The operator's note, as typed (trimmed).
    case words(String)
    /// `approve_extension`: the working days granted so far in total.
    case extensionTotal(Int)
    /// `request_extension`: the working days asked for.
    case extensionRequested(Int)
    /// `escalate`: the centre now supervising the case (a unit code).
    case supervisingUnit(String)
    /// The grid worker now on the case, and the one before, if any (usernames).
    case gridWorker(String, previous: String?)
    /// The number of photos sent with the action.
    case photos(Int)

    /// The part as the stored note has always said it, e.g. `累计延期 5 个工作日`.
    public var zh: String {
        switch self {
        case .words(let text): text
        case .extensionTotal(let days): "累计延期 \(days) 个工作日"
        case .extensionRequested(let days): "申请 \(days) 个工作日"
        case .supervisingUnit(let unit): "督办单位 \(unit)"
        case .gridWorker(let name, let previous): previous.map { "网格员 \(name)（原 \($0)）" } ?? "网格员 \(name)"
        case .photos(let count): "照片 \(count) 张"
        }
    }
}
