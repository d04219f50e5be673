import Fluent
import SQLKit

/// The triage queue counted by region (issue #12 §7: an operator's stream is told when the queue within their
/// region changes): `reports_triage_region_idx` (triage_state, source, region_code, id) holds every column of the
/// live feed's read of the waiting hotline reports' count and newest id per region, so that read walks the waiting
/// reports' index entries in region order (an index-only scan), whatever the history's size.
struct CreateReportsTriageRegionIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "reports_triage_region_idx").on("reports")
            .column("triage_state").column("source").column("region_code").column("id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "reports_triage_region_idx").run()
    }
}
