import Fluent
import SQLKit

/// The daily rollups of the window measures (issue #17): one row per (Asia/Shanghai day as days since 1970, region,
/// unit) with the cases received that day and those of them still with the unit first dispatched to, the cases
/// closed that day and those of them closed by their overall due instant; filled from the stored cases in one
/// statement (a case counts on its creation day, and on its closing day when closed, at its present region and
/// unit).
struct CreateCaseDayCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_day_counts")
            .field("day", .int, .required)
            .field("region_code", .string, .required)
            .field("unit_code", .string, .required)
            .field("received", .int, .required)
            .field("first_ok", .int, .required)
            .field("closed", .int, .required)
            .field("on_time", .int, .required)
            .unique(on: "day", "region_code", "unit_code")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The day of an instant: floor((seconds since 1970 + 8 h) / 1 day); sqlite stores instants as seconds.
        func day(_ column: String) -> String {
            sql.dialect.name == "postgresql"
                ? "cast(floor((extract(epoch from \"\(column)\") + 28800) / 86400) as bigint)"
                : "(cast(((\"\(column)\" + 28800) / 86400) + 1048576 as integer) - 1048576)"
        }
        try await sql.raw(
            """
            insert into "case_day_counts" ("day", "region_code", "unit_code", "received", "first_ok", "closed",
              "on_time")
            select "day", "region_code", "unit_code", sum("received"), sum("first_ok"), sum("closed"), sum("on_time")
            from (
              select \(unsafeRaw: day("created_at")) as "day", "region_code", "unit_code", 1 as "received",
                case when "unit_code" = "first_unit_code" then 1 else 0 end as "first_ok", 0 as "closed",
                0 as "on_time"
              from "cases"
              union all
              select \(unsafeRaw: day("closed_at")) as "day", "region_code", "unit_code", 0, 0, 1,
                case when "due_at" is null or "closed_at" <= "due_at" then 1 else 0 end
              from "cases" where "closed_at" is not null
            ) as "events"
            group by "day", "region_code", "unit_code"
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_day_counts").delete()
    }
}
