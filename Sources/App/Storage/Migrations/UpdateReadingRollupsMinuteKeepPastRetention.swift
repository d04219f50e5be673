import Fluent
import SQLKit

/// Minute rollups now hold only readings past their retention; a raw reading still kept is its own minute rollup
/// (CityNet issue 11 §6). The minute rows of buckets whose raw readings are still stored are removed, so that the
/// series, which adds the two, counts every reading once. Names are spelled out: this migration must never change
/// when the code does.
struct UpdateReadingRollupsMinuteKeepPastRetention: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            DELETE FROM reading_rollups_minute WHERE EXISTS (SELECT 1 FROM readings \
            WHERE readings.sensor_id = reading_rollups_minute.sensor_id \
            AND readings.attribute = reading_rollups_minute.attribute \
            AND readings.observed_ms >= reading_rollups_minute.bucket_ms \
            AND readings.observed_ms < reading_rollups_minute.bucket_ms + 60000)
            """
        ).run()
    }

    /// Rolls the raw readings up into minutes again (as they were stored before).
    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            INSERT INTO reading_rollups_minute (sensor_id, attribute, bucket_ms, n, total, min_value, max_value) \
            SELECT sensor_id, attribute, observed_ms - (((observed_ms % 60000) + 60000) % 60000), COUNT(*), \
            SUM(value), MIN(value), MAX(value) FROM readings WHERE true GROUP BY 1, 2, 3 \
            ON CONFLICT (sensor_id, attribute, bucket_ms) DO UPDATE SET n = reading_rollups_minute.n + excluded.n, \
            total = reading_rollups_minute.total + excluded.total, \
            min_value = CASE WHEN excluded.min_value < reading_rollups_minute.min_value THEN excluded.min_value \
            ELSE reading_rollups_minute.min_value END, \
            max_value = CASE WHEN excluded.max_value > reading_rollups_minute.max_value THEN excluded.max_value \
            ELSE reading_rollups_minute.max_value END
            """
        ).run()
    }
}
