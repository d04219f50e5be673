import Fluent

/// The router label of each training example (`hotline_examples.unit_kind`, a label of the routing vocabulary such
/// as `street_office`) and what produced it (`hotline_examples.source`: `triage`, `return`, `reassign`), so that
/// operators' routing decisions train the unit-kind router (CityNet issue 10 §2). Rows written before it have
/// neither and train only the theme classifier. Names are spelled out: this migration must never change when the
/// model does.
struct UpdateHotlineExamplesAddUnitKind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one column at a time.
        try await database.schema("hotline_examples").field("unit_kind", .string).update()
        try await database.schema("hotline_examples").field("source", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("hotline_examples").deleteField("source").update()
        try await database.schema("hotline_examples").deleteField("unit_kind").update()
    }
}
