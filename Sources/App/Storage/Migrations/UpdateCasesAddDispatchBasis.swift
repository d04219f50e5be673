import Fluent

/// What chose each case's responsible unit (`cases.dispatch_basis`): the category's rule, an alternative selected by
/// a phrase, or a learned router's signal (CityNet issue 10 §1, e.g. `phrase:noise.construction#environment:环保`).
/// Cases dispatched before it have none. Names are spelled out: this migration must never change when the model
/// does.
struct UpdateCasesAddDispatchBasis: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("dispatch_basis", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cases").deleteField("dispatch_basis").update()
    }
}
