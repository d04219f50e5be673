import CityDomain
import Fluent
import Vapor

/// Why an appeal was refused (400 or 409).
enum StatusAppealError: Error, Equatable, AbortError {
    case statement
    case alreadyAppealed

    var status: HTTPResponseStatus { self == .alreadyAppealed ? .conflict : .badRequest }
    var reason: String {
        switch self {
        case .statement: "statement must be 1–500 characters"
        case .alreadyAppealed: "this decision is already under appeal"
        }
    }
}

/// A citizen's appeal of their status: a report and a case for the unit the rule set names, through case intake
/// (accept → register → dispatch, audited), due in the rule set's working days (issue #16 §1), as a bad rating
/// opens a rectification case (``GovRatings``).
enum StatusAppeals {
    /// Appeals `decision` (one appeal per decision, also when two arrive at once).
    /// - Throws: ``StatusAppealError``; `IntakeError` when no unit can take the case.
    static func appeal(
        _ decision: StatusDecisionRow, citizen: UUID, statement: String, rules: StatusRuleSet,
        reference: CityReference, gate: WriteGate, db: any Database, now: Date, logger: Logger
    ) async throws -> StatusAppealRow {
        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(text.count) else { throw StatusAppealError.statement }
        let decisionID = try decision.requireID()
        if try await StatusAppealRow.query(on: db).filter(\.$decisionID == decisionID).first() != nil {
            throw StatusAppealError.alreadyAppealed
        }
        let appeal = StatusAppealRow()
        appeal.id = UUID()
        // The report holds the decision's category, rule and version, and the statement: enough for the unit to
        // look the decision up (`status_appeals` links it), never the facts themselves.
        let intake = IntakeReport(
            source: .statusAppeal, categoryCode: "statuscode.appeal",
            description: "【状态码申诉】\(decision.category)（规则 \(decision.reasonCode)，版本 \(decision.ruleSetVersion)）：\(text)",
            accountID: "status-appeal:\(appeal.id!.uuidString)", actor: "statuscode")
        let root = reference.hierarchy.root.code
        let prepared = try CaseIntake.prepare(
            intake, located: LocatedRegion(regionCode: root, method: .reporterChoice),
            category: rules.appeal.caseCategory, reference: reference, now: now)
        appeal.citizenID = citizen
        appeal.decisionID = decisionID
        appeal.statement = text
        appeal.createdAt = now
        do {
            try await gate.exclusive(assignsIDs: true) { [appeal] db in
                let stored = try await CaseIntake.insert(prepared, intake: intake, now: now, on: db.sql())
                appeal.caseID = try stored.case.requireID()
                appeal.dueAt = stored.case.dueAt
                try await appeal.create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same appeal sent twice at once (a double click): the first stored it and its case; this one's
            // case is rolled back with it (`status_appeals.decision_id` is unique).
            throw StatusAppealError.alreadyAppealed
        }
        prepared.log(reportID: nil, logger: logger)
        return appeal
    }
}
