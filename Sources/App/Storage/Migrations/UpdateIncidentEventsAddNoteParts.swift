import Fluent

/// The parts of a timeline note as codes and parameters (`incident_events.note_parts` and
/// `camera_incident_events.note_parts`, JSON arrays of `{"code", "params"}`), so pages word the system's notes in
/// the reader's language at display time (CityNet issue 12 §6), as `case_events.note_parts` does for cases; `note`
/// keeps the English text the API has always returned. Entries written before it, and notes that are a person's
/// words only, have none. Names are spelled out: this migration must never change when the model does.
struct UpdateIncidentEventsAddNoteParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("incident_events").field("note_parts", .string).update()
        try await database.schema("camera_incident_events").field("note_parts", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("camera_incident_events").deleteField("note_parts").update()
        try await database.schema("incident_events").deleteField("note_parts").update()
    }
}
