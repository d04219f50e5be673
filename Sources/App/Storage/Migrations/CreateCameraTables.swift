import Fluent
import SQLKit

/// Camera detections (城市之眼, CityNet issue 11 §4): cameras, detection settings as data, snapshots stored once by
/// SHA-256, incidents with their audit trail, and the detections themselves. Times are integer milliseconds since
/// 1970 (`*_ms`), as in the vital-signs tables.
///
/// Two invariants live in the database: one stored detection per (camera, algorithm, the algorithm's own
/// detection id) (`camera_detections_key`, the idempotency key), and at most one active incident per (camera,
/// detection type) (`camera_incidents_one_active`, a partial unique index on SQLite and PostgreSQL alike). Names
/// are spelled out: this migration must never change when the code does.
struct CreateCameraTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cameras")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("address", .string)
            .field("region_code", .string, .required)
            .field("locate_method", .string, .required)
            .field("unit_code", .string, .required)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .create()
        try await database.schema("camera_settings")
            .field("camera_id", .string, .required)
            .field("detection_type", .string, .required)
            .field("gap_seconds", .int64, .required)
            .field("persist_seconds", .int64, .required)
            .field("min_confidence", .double, .required)
            .field("requires_confirmation", .bool, .required)
            .field("updated_at_ms", .int64, .required)
            .field("updated_by", .string, .required)
            .unique(on: "camera_id", "detection_type", name: "camera_settings_key")
            .create()
        try await database.schema("camera_snapshots")
            .field("sha256", .string, .identifier(auto: false))
            .field("content_type", .string, .required)
            .field("byte_count", .int64, .required)
            .field("width", .int64, .required)
            .field("height", .int64, .required)
            .field("data", .data, .required)
            .field("created_at_ms", .int64, .required)
            .create()
        try await database.schema("camera_incidents")
            .field("id", .int64, .identifier(auto: true))
            .field("camera_id", .string, .required)
            .field("detection_type", .string, .required)
            .field("category_code", .string, .required)
            .field("status", .string, .required)
            .field("first_seen_ms", .int64, .required)
            .field("last_seen_ms", .int64, .required)
            .field("detection_count", .int64, .required)
            .field("max_confidence", .double, .required)
            .field("algorithm", .string, .required)
            .field("algorithm_version", .string, .required)
            .field("snapshot_sha256", .string)
            .field("case_id", .int)
            .field("report_id", .int)
            .field("decided_by", .string)
            .field("decided_at_ms", .int64)
            .field("ended_at_ms", .int64)
            .field("created_at_ms", .int64, .required)
            .create()
        try await database.schema("camera_incident_events")
            .field("id", .int64, .identifier(auto: true))
            .field("incident_id", .int64, .required)
            .field("at_ms", .int64, .required)
            .field("action", .string, .required)
            .field("actor", .string, .required)
            .field("note", .string)
            .create()
        try await database.schema("camera_detections")
            .field("id", .int64, .identifier(auto: true))
            .field("camera_id", .string, .required)
            .field("detection_type", .string, .required)
            .field("algorithm", .string, .required)
            .field("algorithm_version", .string, .required)
            .field("source_id", .string, .required)
            .field("confidence", .double, .required)
            .field("observed_ms", .int64, .required)
            .field("received_ms", .int64, .required)
            .field("snapshot_sha256", .string)
            .field("box_x", .double)
            .field("box_y", .double)
            .field("box_width", .double)
            .field("box_height", .double)
            .field("incident_id", .int64)
            .field("outcome", .string, .required)
            .unique(on: "camera_id", "algorithm", "source_id", name: "camera_detections_key")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            CREATE UNIQUE INDEX camera_incidents_one_active ON camera_incidents (camera_id, detection_type) \
            WHERE ended_at_ms IS NULL
            """
        ).run()
        try await sql.create(index: "camera_incidents_status_idx").on("camera_incidents").column("status").run()
        try await sql.create(index: "camera_incident_events_incident_idx").on("camera_incident_events")
            .column("incident_id").run()
        try await sql.create(index: "camera_detections_incident_idx").on("camera_detections").column("incident_id")
            .run()
        try await sql.create(index: "cameras_region_idx").on("cameras").column("region_code").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in [
                "camera_incidents_one_active", "camera_incidents_status_idx", "camera_incident_events_incident_idx",
                "camera_detections_incident_idx", "cameras_region_idx",
            ] {
                try await sql.drop(index: index).run()
            }
        }
        for table in [
            "camera_detections", "camera_incident_events", "camera_incidents", "camera_snapshots", "camera_settings",
            "cameras",
        ] {
            try await database.schema(table).delete()
        }
    }
}
