import Fluent
import SQLKit

/// The case counters behind the city screen (issue #17): one row per (street or other region, unit, state) with the
/// number of cases, those closed by their overall due instant and those still with the unit first dispatched to,
/// filled from the stored cases; and a partial index over the open cases only, for what must be judged at the
/// time of asking (overdue) and the map's newest open cases.
struct CreateCaseCounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_counters")
            .field("region_code", .string, .required)
            .field("unit_code", .string, .required)
            .field("state", .string, .required)
            .field("n", .int, .required)
            .field("on_time", .int, .required)
            .field("first_ok", .int, .required)
            .unique(on: "region_code", "unit_code", "state")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            INSERT INTO "case_counters" ("region_code", "unit_code", "state", "n", "on_time", "first_ok")
            SELECT "region_code", "unit_code", "state", COUNT(*),
              SUM(CASE WHEN "state" = 'closed' AND ("due_at" IS NULL OR "closed_at" <= "due_at") THEN 1 ELSE 0 END),
              SUM(CASE WHEN "unit_code" = "first_unit_code" THEN 1 ELSE 0 END)
            FROM "cases" GROUP BY "region_code", "unit_code", "state"
            """
        ).run()
        try await sql.raw(
            """
            CREATE INDEX "cases_open_idx"
            ON "cases" ("region_code", "unit_code", "state", "suspended_since", "step_due_at", "due_at")
            WHERE "state" <> 'closed'
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "cases_open_idx").run() }
        try await database.schema("case_counters").delete()
    }
}
