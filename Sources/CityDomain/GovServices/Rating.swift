import Foundation

/// The five official levels of 好差评 (国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见, 国办发〔2019〕51号):
/// 非常满意, 满意, 基本满意, 不满意, 非常不满意. Raw values are the stored codes.
public enum RatingLevel: String, Codable, Sendable, CaseIterable {
    case verySatisfied = "very_satisfied"
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case dissatisfied
    case veryDissatisfied = "very_dissatisfied"

    /// 5 (非常满意) down to 1 (非常不满意).
    public var score: Int {
        switch self {
        case .verySatisfied: 5
        case .satisfied: 4
        case .basicallySatisfied: 3
        case .dissatisfied: 2
        case .veryDissatisfied: 1
        }
    }

    /// The bottom two levels are bad ratings (差评), each verified and rectified.
    public var isBad: Bool { score <= 2 }
    /// The top two count as good in the statistics (share good).
    public var isGood: Bool { score >= 4 }

    public var nameZh: String {
        switch self {
        case .verySatisfied: "非常满意"
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        case .veryDissatisfied: "非常不满意"
        }
    }

    public var nameEn: String {
        switch self {
        case .verySatisfied: "very satisfied"
        case .satisfied: "satisfied"
        case .basicallySatisfied: "basically satisfied"
        case .dissatisfied: "dissatisfied"
        case .veryDissatisfied: "very dissatisfied"
        }
    }
}

/// Why a rating is refused.
public enum RatingError: Error, Equatable, Sendable, CustomStringConvertible {
    case notDone(ApplicationState)
    case alreadyRated
    case commentTooLong(Int)

    public var description: String {
        switch self {
        case .notDone(let state):
            "an application is rated once it is done; this one is \(state.rawValue)"
        case .alreadyRated: "this application has already been rated; a rating is given once"
        case .commentTooLong(let count): "the comment has \(count) characters; at most \(RatingRules.maxComment)"
        }
    }
}

/// When a rating may be given (once, after completion; 国办发〔2019〕51号 §2), and what follows a bad one.
public enum RatingRules {
    /// Longest comment, in Unicode code points (as JSON Schema's `maxLength` counts).
    public static let maxComment = 500
    /// Working days a department has to rectify a bad rating, unless configured otherwise.
    public static let defaultRectificationDays = 5

    /// Checks a rating of an application in `state`, `alreadyRated` or not, with `comment`.
    /// - Throws: ``RatingError``.
    public static func check(state: ApplicationState, alreadyRated: Bool, comment: String?) throws(RatingError) {
        guard state == .done else { throw .notDone(state) }
        guard !alreadyRated else { throw .alreadyRated }
        if let comment, comment.unicodeScalars.count > maxComment {
            throw .commentTooLong(comment.unicodeScalars.count)
        }
    }

    /// The case category a bad rating's rectification case is filed under: office-hour clock, handled within
    /// `days` working days, verified within 1, by the department that handled the application.
    public static func rectificationCategory(days: Int, department: UnitKind) -> Category {
        Category(
            code: "govservice.rectification", nameZh: "政务服务差评整改", nameEn: "Government service rating rectification",
            responsibleKind: department, responsibleLevel: .district, priority: .normal, clock: .officeHours,
            limits: StepLimits(
                dispatch: .workingDays(1), handle: .workingDays(days), verify: .workingDays(1),
                overall: .workingDays(days + 1)))
    }
}
