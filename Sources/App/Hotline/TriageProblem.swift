import CityDomain
import Vapor

/// Why a forwarding (转办) or a bulk decision on the triage desk was refused (issue #12 §3); nothing has been written.
/// Worded by the catalogue (``message``, `triage.*`): in the operator's language on the console, in English for the
/// API.
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
}

extension TriageProblem: AbortError {
    /// The English sentence of ``message`` (codes as given), as the API answers.
    var reason: String { message.text(.en) }
}
