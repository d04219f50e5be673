import Fluent

/// The callback (回访) after closure (CityNet issue 12 §9): `cases.callback_result` holds the last result since the
/// case was last closed (`satisfied`, `basically_satisfied`, `dissatisfied`, `unreachable`; null before any), and
/// `case_events.outcome` the result a `callback` event recorded, as a code rendered in the reader's language at
/// display time. Names are spelled out: this migration must never change when the models do.
struct UpdateCasesAddCallback: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("callback_result", .string).update()
        try await database.schema("case_events").field("outcome", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_events").deleteField("outcome").update()
        try await database.schema("cases").deleteField("callback_result").update()
    }
}
