import Fluent

/// The parts of an audit note as codes and parameters (`case_events.note_parts`, a JSON array of
/// `{"code", "params"}`), so the console words the system's notes in the reader's language at display time
/// (CityNet issue 12 §6); `note` keeps the text it has always held. Events written before it, and notes that are a
/// person's words only, have none. Names are spelled out: this migration must never change when the model does.
struct UpdateCaseEventsAddNoteParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("case_events").field("note_parts", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_events").deleteField("note_parts").update()
    }
}
