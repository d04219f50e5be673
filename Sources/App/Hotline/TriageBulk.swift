import CityDomain
import Foundation
import Vapor

/// A bulk decision on the triage desk (issue #12 §3): several queued reports dismissed with one note, or all
/// categorised under one category. The body of `POST /api/v1/triage/bulk` and the fields of the desk's bulk form.
///
/// Each report is decided in its own transaction, exactly as a single decision (``TriageDecision``): the reports
/// are independent of each other, and a report someone else decided meanwhile must not undo the others (all or
/// nothing would make one colleague's click cost the whole selection). The answer says, per report, whether it was
/// decided, already decided by someone else (409), not found in scope (404) or refused (400/403).
struct TriageBulk: Content {
    /// The most reports one bulk request may name.
    static let maxReports = 200

    var reportIDs: [Int]?
    var dismiss: Bool?
    var note: String?
    var categoryCode: String?

    enum CodingKeys: String, CodingKey {
        case dismiss, note
        case reportIDs = "report_ids", categoryCode = "category_code"
    }

    /// What became of one report of the request.
    struct ItemResult: Content, Equatable {
        enum Outcome: String, Codable, Sendable {
            /// Decided now by this request.
            case decided
            /// No longer queued: someone else decided it first.
            case conflict
            /// No hotline report with this id in the operator's scope.
            case notFound = "not_found"
            /// Refused for another reason (the message says why).
            case refused
        }

        var reportID: Int
        var outcome: Outcome
        /// The HTTP status a single decision would have answered.
        var status: Int
        /// The case the report became, when categorised.
        var caseID: Int?
        /// Why it was not decided.
        var message: String?

        enum CodingKeys: String, CodingKey {
            case outcome, status, message
            case reportID = "report_id", caseID = "case_id"
        }
    }

    /// The answer: how many were decided, which were decided by someone else, and each report's result in the
    /// order asked (duplicates once).
    struct Response: Content, Equatable {
        var decided: Int
        var conflicts: [Int]
        var results: [ItemResult]
    }

    /// Decides each report named, in order, as the operator of `scope`.
    /// - Throws: ``TriageProblem``: no report named, more than ``maxReports``, neither or both of dismissal and
    ///   category (400); 400 for a dismissal without a note, a note over 2,000 characters or an unknown category.
    ///   Nothing is decided then. Per-report refusals are answered in ``Response/results``, not thrown.
    func apply(by scope: OperatorScope, context: HotlineContext) async throws -> Response {
        var seen = Set<Int>()
        let ids = (reportIDs ?? []).filter { seen.insert($0).inserted }
        guard !ids.isEmpty else { throw TriageProblem.noneSelected }
        guard ids.count <= Self.maxReports else { throw TriageProblem.tooMany(ids.count) }
        let code = categoryCode.nonBlank
        guard (dismiss == true) != (code != nil) else { throw TriageProblem.bulkActionMissing }
        if let note { try TextRules.validate(note, field: "note", maxLength: 2000) }
        if dismiss == true, note.nonBlank == nil {
            throw LocalizedRefusal(.badRequest, "triage.dismiss_note")
        }
        if let code, context.reference.taxonomy[code] == nil {
            throw IntakeError.unknownCategory(code, field: "category_code")
        }
        let decision = TriageDecision(categoryCode: code, regionCode: nil, dismiss: dismiss, note: note.nonBlank)
        var results: [ItemResult] = []
        for id in ids {
            do {
                let report = try await decision.apply(toReport: id, by: scope, context: context)
                results.append(ItemResult(reportID: id, outcome: .decided, status: 200, caseID: report.caseID))
            } catch let error as any AbortError where error.status != .internalServerError {
                let outcome: ItemResult.Outcome =
                    switch error.status {
                    case .conflict: .conflict
                    case .notFound: .notFound
                    default: .refused
                    }
                results.append(
                    ItemResult(reportID: id, outcome: outcome, status: Int(error.status.code), message: error.reason))
            }
        }
        return Response(
            decided: results.filter { $0.outcome == .decided }.count,
            conflicts: results.filter { $0.outcome == .conflict }.map(\.reportID), results: results)
    }
}
