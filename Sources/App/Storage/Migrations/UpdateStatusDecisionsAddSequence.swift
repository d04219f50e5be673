import Fluent
import SQLKit

/// Orders a subject's status decisions without ties and keeps one appeal per decision (CityNet issue #16, defects
/// found after `CreateStatusCodeTables` shipped):
/// - `status_decisions.sequence`: 1, 2, 3 … per subject, unique with the subject. `evaluated_at` holds whole
///   seconds and ids are random, so two decisions made in one second tied and the older could be served as
///   current; the unique pair also makes two evaluations of one subject at once store one decision, not two.
///   Existing rows are numbered by (`evaluated_at`, `id`), the order the old lookup used.
/// - `status_appeals.decision_id` unique: a double-clicked appeal opened two cases.
/// Names are spelled out: this migration must never change when the models do.
struct UpdateStatusDecisionsAddSequence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("status_decisions")
            .field("sequence", .int64, .required, .sql(.default(0))).update()
        let sql = try database.sql()
        try await sql.raw(
            """
            UPDATE status_decisions SET sequence = (SELECT COUNT(*) FROM status_decisions AS earlier
              WHERE earlier.subject = status_decisions.subject
                AND (earlier.evaluated_at < status_decisions.evaluated_at
                  OR (earlier.evaluated_at = status_decisions.evaluated_at AND earlier.id <= status_decisions.id)))
            """
        ).run()
        try await sql.drop(index: "status_decisions_subject_idx").run()
        try await sql.create(index: "status_decisions_subject_sequence_key").unique().on("status_decisions")
            .column("subject").column("sequence").run()
        try await sql.create(index: "status_appeals_decision_key").unique().on("status_appeals")
            .column("decision_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.drop(index: "status_appeals_decision_key").run()
        try await sql.drop(index: "status_decisions_subject_sequence_key").run()
        try await sql.create(index: "status_decisions_subject_idx").on("status_decisions")
            .column("subject").column("evaluated_at").run()
        try await database.schema("status_decisions").deleteField("sequence").update()
    }
}
