import CityDomain
import Vapor

/// Why a forwarding (转办) or a bulk decision on the triage desk was refused (issue #12 §3), in a form the console
/// renders in the operator's language and the API in English. Nothing has been written.
enum TriageProblem: Error, Equatable, Sendable {
    /// No reason, or a blank one.
    case reasonMissing
    /// A reason over ``TriageForward/maxReasonLength`` characters (the count given).
    case reasonTooLong(Int)
    /// No unit named.
    case unitMissing
    /// No unit has this code (or name).
    case unknownUnit(String)
    /// The unit lies outside the operator's region (unit, the operator's region).
    case unitOutsideScope(String, region: String)
    /// The unit does not serve the report's region (unit, region): the rule every dispatch follows.
    case unitNotServing(String, region: String)
    /// The report has no suggested category and none was given.
    case categoryMissing
    /// A bulk request naming no report.
    case noneSelected
    /// A bulk request naming more reports than ``TriageBulk/maxReports`` (the count given).
    case tooMany(Int)
    /// A bulk request that neither dismisses nor categorises, or does both.
    case bulkActionMissing

    /// 403 for a unit outside the operator's region, else 400.
    var status: HTTPResponseStatus { if case .unitOutsideScope = self { .forbidden } else { .badRequest } }

    /// The message in `language`.
    func message(_ language: DisplayLanguage) -> String {
        let zh = language == .zh
        let maxReason = TriageForward.maxReasonLength
        switch self {
        case .reasonMissing: return zh ? "转办须填写理由" : "Forwarding needs a reason"
        case .reasonTooLong(let n):
            return zh
                ? "转办理由最多 \(maxReason) 个字，现有 \(n) 个" : "A reason is at most \(maxReason) characters; this one has \(n)"
        case .unitMissing: return zh ? "请选择转办的责任单位" : "Choose the unit to forward to (unit_code)"
        case .unknownUnit(let v): return zh ? "没有名为或代码为 \(v) 的责任单位" : "No unit has the code or name '\(v)'"
        case .unitOutsideScope(let unit, let region):
            return zh
                ? "责任单位 \(unit) 不在您的管辖范围（\(region)）内" : "Unit '\(unit)' is outside your area (\(region))"
        case .unitNotServing(let unit, let region):
            return zh
                ? "责任单位 \(unit) 不负责来件所在区域 \(region)：请选该区域、其上级或其下属区域的单位"
                : "Unit '\(unit)' does not serve region '\(region)': choose a unit of that region, one above it or inside it"
        case .categoryMissing:
            return zh ? "该来件没有推荐类别，请选择类别" : "The report has no suggested category; give category_code"
        case .noneSelected: return zh ? "请至少选择一条来件" : "Select at least one report (report_ids)"
        case .tooMany(let n):
            return zh
                ? "一次最多处理 \(TriageBulk.maxReports) 条来件，本次选了 \(n) 条"
                : "At most \(TriageBulk.maxReports) reports per bulk decision; \(n) were given"
        case .bulkActionMissing:
            return zh
                ? "请选择批量不予立案（须填写理由）或批量归类（须选择类别）"
                : "Give either dismiss: true with a note, or category_code — one of them"
        }
    }
}

extension TriageProblem: AbortError {
    var reason: String { message(.en) }
}
