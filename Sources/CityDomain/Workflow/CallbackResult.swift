/// What a callback (回访) to the citizen after closure found: their satisfaction with how the case was handled, or
/// that they could not be reached.
///
/// The three satisfaction levels are the 12345 hotline's callback scale (满意 / 基本满意 / 不满意), which feeds the
/// satisfaction part of the case evaluation (DESIGN.md §4, after CJ/T 315-2009 / GB/T 30428). `unreachable`
/// (未接通) records the attempt and leaves the callback to be tried again. Raw values are the API's strings.
public enum CallbackResult: String, Codable, CaseIterable, Sendable {
    /// 满意.
    case satisfied
    /// 基本满意.
    case basicallySatisfied = "basically_satisfied"
    /// 不满意: the centre may reopen the case (重新办理).
    case dissatisfied
    /// 未接通: no answer; the callback stays open.
    case unreachable

    /// Whether the result completes the callback (a satisfaction level); after `unreachable` it may be tried again.
    public var isFinal: Bool { self != .unreachable }

    /// The name shown in Chinese pages.
    public var nameZh: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        case .unreachable: "未接通"
        }
    }

    /// The name shown in English pages.
    public var nameEn: String {
        switch self {
        case .satisfied: "Satisfied"
        case .basicallySatisfied: "Basically satisfied"
        case .dissatisfied: "Dissatisfied"
        case .unreachable: "Not reached"
        }
    }
}
