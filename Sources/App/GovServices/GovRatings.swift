import CityDomain
import Fluent
import SQLKit
import Vapor

/// 好差评: stores a rating once per completed application; a bad one (the bottom two levels) opens a report and a
/// rectification case for the department through case intake (accept → register → dispatch, audited), due in the
/// configured working days (国办发〔2019〕51号: every real-name bad rating verified, rectified and followed up).
enum GovRatings {
    /// Stores the rating (and its case, and the citizen's `access` log entry when given) in one transaction.
    /// - Throws: ``RatingError`` (nothing written); `IntakeError` if the department cannot take cases.
    static func rate(
        _ application: GovApplication, item: ServiceItem, level: RatingLevel, comment: String?, days: Int,
        reference: CityReference, gate: WriteGate, db: any Database, now: Date, logger: Logger,
        access: GovAccessEntry? = nil
    ) async throws -> GovRating {
        let id = try application.requireID()
        let already = try await GovRating.query(on: db).filter(\.$applicationID == id).first() != nil
        let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        try RatingRules.check(state: application.state, alreadyRated: already, comment: text)
        let rating = GovRating()
        rating.id = UUID()
        rating.applicationID = id
        rating.citizenID = application.citizenID
        rating.itemCode = item.code
        rating.unitCode = application.unitCode
        rating.level = level
        rating.comment = text?.isEmpty == false ? text : nil
        rating.at = now
        var preparedCase: (intake: IntakeReport, case: CaseIntake.PreparedCase)?
        if level.isBad {
            // The report names the item, the level and the comment, not the citizen: the department never sees who
            // rated (the callback reaches the citizen through the rating's own link).
            let intake = IntakeReport(
                source: .govRating, categoryCode: "govservice.rectification",
                description: "【好差评·\(level.nameZh)】\(item.nameZh)（\(item.code)）"
                    + (rating.comment.map { "：\($0)" } ?? ""),
                accountID: "rating:\(rating.id!.uuidString)", actor: "govservice")
            let unitRegion = reference.units[application.unitCode]?.regionCode ?? application.regionCode
            let category = RatingRules.rectificationCategory(days: days, department: item.department)
            var defined = category
            defined.responsibleLevel = reference.hierarchy[unitRegion]?.level
            let rectification = try CaseIntake.prepare(
                intake, located: LocatedRegion(regionCode: unitRegion, method: .reporterChoice),
                category: defined, reference: reference, now: now)
            preparedCase = (intake, rectification)
        }
        let prepared = preparedCase
        let notice = GovOutbox.notice(
            for: application, kind: level.isBad ? "rectification_opened" : "rated", note: level.rawValue, now: now)
        let event = GovApplicationEvent(
            applicationID: id, at: now, action: "rate", from: application.state, to: application.state,
            actor: "citizen", unitCode: nil, note: level.rawValue)
        do {
            try await gate.exclusive(assignsIDs: prepared != nil) { [rating] db in
                if let prepared {
                    // Through case intake's one write path: the same report, case and audit trail as any intake.
                    let stored = try await CaseIntake.insert(
                        prepared.case, intake: prepared.intake, now: now, on: db.sql())
                    rating.caseID = try stored.case.requireID()
                }
                try await rating.create(on: db)
                try await event.create(on: db)
                try await notice.create(on: db)
                try await access?.create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw RatingError.alreadyRated
        }
        if let prepared { prepared.case.log(reportID: nil, logger: logger) }
        return rating
    }
}

extension GovRatings {
    /// The callback (回访): each bad rating whose rectification case has closed gets one notice to the citizen
    /// (`rectification_closed`), and is marked called back.
    /// - Returns: how many citizens were called back.
    static func callBack(gate: WriteGate, db: any Database, now: Date) async throws -> Int {
        let open = try await GovRating.query(on: db).filter(\.$caseID != nil).filter(\.$calledBackAt == nil)
            .limit(500).all()
        let ids = open.compactMap(\.caseID)
        guard !ids.isEmpty else { return 0 }
        let closed = Set(
            try await Case.query(on: db).filter(\.$id ~~ ids).filter(\.$state == .closed).all().compactMap(\.id))
        var count = 0
        for rating in open where rating.caseID.map(closed.contains) == true {
            let notice = GovNotification()
            notice.id = UUID()
            notice.citizenID = rating.citizenID
            notice.applicationID = rating.applicationID
            notice.at = now
            notice.kind = "rectification_closed"
            notice.note = rating.caseID.map { "case \($0)" }
            let id = try rating.requireID()
            let sent = try await gate.exclusive(returning: { db in
                // One conditional UPDATE claims the callback: two runners never both send it.
                guard let sql = db as? any SQLDatabase else {
                    throw Abort(.internalServerError, reason: "SQL database required")
                }
                let marked = try await sql.update(GovRating.schema)
                    .set("called_back_at", to: IntakeRows.b(now))
                    .where("id", .equal, id).where(SQLColumn("called_back_at"), .is, SQLLiteral.null)
                    .returning("id").all()
                guard !marked.isEmpty else { return false }
                try await notice.create(on: db)
                return true
            })
            if sent { count += 1 }
        }
        return count
    }
}

extension RatingError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .alreadyRated, .notDone: .conflict
        case .commentTooLong: .badRequest
        }
    }
    public var reason: String { description }
}
