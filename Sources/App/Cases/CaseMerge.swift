import CityDomain
import Fluent
import Foundation
import Hotline
import SQLKit

/// Merging a new report into an open case about the same incident (一件事, many sources): the one duplicate rule
/// every channel uses, hotline calls and camera detections alike (CityNet hotline issue §4, issue 11 §4).
///
/// The rule is ``Hotline/DuplicateDetector`` with its defaults (same fine category; within 250 m, or the same region
/// when either side has no point; within 24 h of the case opening; similar text); the cases a report may join are
/// those whose work is not yet reported done (``mergeableStates``). Callers hold ``lock(categoryCode:regionCode:on:)``
/// from finding the duplicate to attaching to it.
enum CaseMerge {
    /// The duplicate rule (``Hotline/DuplicateDetector`` defaults).
    static let detector = DuplicateDetector()
    /// Cases a report joins: those whose work is not yet reported done. A report about a case already handled or
    /// verified opens a new case (the first handling evidently did not last).
    static let mergeableStates: [CaseState] = [.accepted, .registered, .dispatched, .handling, .returned, .suspended]

    /// Serialises merges of one category and region for the rest of the caller's transaction: on PostgreSQL a
    /// transaction-scoped advisory lock; on SQLite the write gate already runs one job at a time.
    static func lock(categoryCode: String, regionCode: String, on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: lockKey(categoryCode, regionCode))))").run()
    }

    /// The advisory-lock key of a category and region (callers that take several locks sort by it).
    static func lockKey(_ categoryCode: String, _ regionCode: String) -> String {
        "hotline-merge:\(categoryCode):\(regionCode)"
    }

    /// The open case a report duplicates, if any.
    /// - Parameters:
    ///   - regionCode: where the report is located; a report located only to the city (the root) never merges.
    ///   - point: the report's point, if it has one.
    ///   - receivedAt: when the report came in; `now` bounds the cases searched (opened within the window).
    ///   - text: the report's text.
    /// - Returns: the best match (``Hotline/DuplicateDetector/bestMatch(for:among:)``) with its reasons.
    static func findDuplicate(
        categoryCode: String, regionCode: String, point: GeoPoint?, receivedAt: Date, text: String, now: Date,
        reference: CityReference, on db: any Database
    ) async throws -> DuplicateMatch? {
        guard regionCode != reference.hierarchy.root.code else { return nil }
        let since = now.addingTimeInterval(-detector.window)
        let open = try await Case.query(on: db)
            .filter(\.$categoryCode == categoryCode).filter(\.$regionCode == regionCode)
            .filter(\.$state ~~ mergeableStates).filter(\.$createdAt >= since)
            .sort(\.$id, .descending).limit(200).all()
        let candidates = open.compactMap { record in
            record.id.map {
                DuplicateCandidate(
                    caseID: $0, categoryCode: record.categoryCode, regionCode: record.regionCode,
                    point: try? record.latitude.flatMap { lat in
                        try record.longitude.map { try GeoPoint(latitude: lat, longitude: $0) }
                    }, openedAt: record.createdAt, text: record.description ?? "")
            }
        }
        return detector.bestMatch(
            for: DuplicateReport(
                categoryCode: categoryCode, regionCode: regionCode, point: point, receivedAt: receivedAt, text: text),
            among: candidates)
    }

    /// Counts one more report on case `caseID` if it is still mergeable; its version moves so that an operator's
    /// concurrent action on the case sees the change.
    /// - Returns: the case's state and unit, or nil when it is no longer mergeable (nothing changed).
    static func attach(caseID: Int, now: Date, on sql: any SQLDatabase) async throws -> (
        state: CaseState, unitCode: String
    )? {
        let row = try await sql.update(Case.schema)
            .set(SQLIdentifier("report_count"), to: SQLRaw("\"report_count\" + 1"))
            .set(SQLIdentifier("version"), to: SQLRaw("\"version\" + 1"))
            .set("updated_at", to: IntakeRows.b(now))
            .where("id", .equal, caseID).where("state", .in, mergeableStates.map(\.rawValue))
            .returning("state", "unit_code").first()
        guard let row else { return nil }
        return (
            try row.decode(column: "state", as: CaseState.self), try row.decode(column: "unit_code", as: String.self)
        )
    }
}
