import Fluent
import SQLKit

/// How far the work that follows stored readings has got (CityNet issue 11 §6): `vitals_watermarks` holds, per
/// named stream, the largest reading id whose rollups, sensor `last_observed_ms` and alarm rule evaluation are
/// committed (``ReadingProcessor``). Readings stored before this migration were processed when they were stored,
/// so the `readings` stream starts at the largest reading id there is. Names are spelled out: this migration must
/// never change when the code does.
struct CreateVitalsWatermarks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("vitals_watermarks")
            .field("name", .string, .identifier(auto: false))
            .field("reading_id", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            INSERT INTO vitals_watermarks (name, reading_id) \
            SELECT 'readings', COALESCE(MAX(id), 0) FROM readings
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("vitals_watermarks").delete()
    }
}
