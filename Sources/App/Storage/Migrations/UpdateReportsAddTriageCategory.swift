import Fluent
import Foundation
import SQLKit

/// The triage desk at volume (issue #12 §3): `reports.triage_category` holds the category code the report's triage
/// record names (the classifier's suggestion while the report waits, the category chosen once decided), so the
/// queue is grouped and counted per suggested category without reading the JSON record; two indexes let the desk's
/// pages and counts read only the waiting hotline reports, oldest first: `reports_triage_queue_idx` (triage_state,
/// source, received_at, id) and `reports_triage_category_idx` (triage_state, source, triage_category, received_at,
/// id). Both equality columns lead, so SQLite without statistics prefers them to `reports_source_received_idx`.
///
/// Reports waiting at migration time are backfilled from their record's `category_code`, in batches (names are
/// spelled out: this migration must never change when the models do).
struct UpdateReportsAddTriageCategory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("reports").field("triage_category", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "reports_triage_queue_idx").on("reports")
            .column("triage_state").column("source").column("received_at").column("id").run()
        try await sql.create(index: "reports_triage_category_idx").on("reports")
            .column("triage_state").column("source").column("triage_category").column("received_at").column("id").run()
        try await Self.backfill(on: sql)
    }

    /// Copies `category_code` from the triage record of each waiting report into `triage_category`, in
    /// batches of 1,000.
    static func backfill(on sql: any SQLDatabase) async throws {
        var after = 0
        while true {
            let rows = try await sql.select().column("id").column("triage").from("reports")
                .where("triage_state", .equal, "queued").where("id", .greaterThan, after)
                .orderBy("id").limit(1_000).all()
            guard let last = rows.last else { break }
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                guard let text = try row.decode(column: "triage", as: String?.self),
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    let code = object["category_code"] as? String
                else { continue }
                try await sql.update("reports").set("triage_category", to: code).where("id", .equal, id).run()
            }
            after = try last.decode(column: "id", as: Int.self)
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "reports_triage_category_idx").run()
            try await sql.drop(index: "reports_triage_queue_idx").run()
        }
        try await database.schema("reports").deleteField("triage_category").update()
    }
}
