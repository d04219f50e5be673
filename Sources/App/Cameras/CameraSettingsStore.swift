import CityDomain
import Foundation
import SQLKit
import Vapor

/// Detection settings as data (`camera_settings`): one row per (camera or `*` for every camera, detection type);
/// where no row applies, ``CityDomain/DetectionSettings/defaults(for:)``.
enum CameraSettingsStore {
    /// The rows that apply to these cameras (theirs and those for every camera).
    static func load(cameras: some Collection<String>, on sql: any SQLDatabase) async throws
        -> [DetectionSettings.SettingsKey: DetectionSettings]
    {
        let ids = Array(Set(cameras)) + [DetectionSettings.everyCamera]
        var result: [DetectionSettings.SettingsKey: DetectionSettings] = [:]
        for row in try await sql.select().column("*").from("camera_settings").where("camera_id", .in, ids).all() {
            let stored = try decode(row)
            result[.init(camera: stored.cameraID, type: stored.type)] = stored.settings
        }
        return result
    }

    /// Every stored row, ordered by camera and type.
    static func all(on sql: any SQLDatabase) async throws -> [CameraSettingsDTO] {
        try await sql.select().column("*").from("camera_settings").orderBy("camera_id").orderBy("detection_type")
            .all().map { row in
                let stored = try decode(row)
                return CameraSettingsDTO(
                    cameraID: stored.cameraID, type: stored.type.rawValue, settings: stored.settings,
                    source: "stored", updatedBy: try row.decode(column: "updated_by", as: String.self),
                    updatedAt: VitalsTime.date(try row.decode(column: "updated_at_ms", as: Int64.self)))
            }
    }

    /// Stores (or replaces) the settings of a camera (or `*`) and type.
    static func save(
        _ settings: DetectionSettings, camera: String, type: DetectionType, by actor: String, now: Date,
        gate: WriteGate
    ) async throws {
        let nowMS = VitalsTime.ms(now)
        try await gate.exclusive { db in
            let sql = try db.sql()
            try await sql.delete(from: "camera_settings").where("camera_id", .equal, camera)
                .where("detection_type", .equal, type.rawValue).run()
            try await sql.insert(into: "camera_settings")
                .columns(
                    "camera_id", "detection_type", "gap_seconds", "persist_seconds", "min_confidence",
                    "requires_confirmation", "updated_at_ms", "updated_by"
                )
                .values(
                    SQLBind(camera), SQLBind(type.rawValue), SQLBind(settings.gapSeconds),
                    SQLBind(settings.persistSeconds), SQLBind(settings.minConfidence),
                    SQLBind(settings.requiresConfirmation), SQLBind(nowMS), SQLBind(actor)
                ).run()
        }
    }

    private static func decode(_ row: any SQLRow) throws -> (
        cameraID: String, type: DetectionType, settings: DetectionSettings
    ) {
        (
            try row.decode(column: "camera_id", as: String.self),
            try row.decode(column: "detection_type", as: DetectionType.self),
            DetectionSettings(
                gapSeconds: try row.decode(column: "gap_seconds", as: Int.self),
                persistSeconds: try row.decode(column: "persist_seconds", as: Int.self),
                minConfidence: try row.decode(column: "min_confidence", as: Double.self),
                requiresConfirmation: try row.decode(column: "requires_confirmation", as: Bool.self))
        )
    }
}
