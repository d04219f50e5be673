import Fluent
import SQLKit

/// Orders a subject's status decisions without ties and keeps one appeal per decision (CityNet issue #16, defects
/// found after `CreateStatusCodeTables` shipped):
/// - `status_decisions.sequence`: 1, 2, 3 … per subject, unique with the subject. `evaluated_at` holds whole
///   seconds and ids are random, so two decisions made in one second tied and the older could be served as
///   current; the unique pair also makes two evaluations of one subject at once store one decision, not two.
///   Existing rows are numbered by `evaluated_at`, ties by id.
/// - `status_appeals.decision_id` unique: a double-clicked appeal opened two appeals. Where that already happened the
///   earliest appeal of a decision is kept and the later ones are deleted; their cases stay as they are (each still
///   holds the citizen's statement and is handled or closed like any case).
/// All in one transaction, so a failure leaves the schema as it was. Run it with every node stopped (`citynet
/// migrate`, as the README's multi-node set-up does): a node of the old version would store decisions without a
/// sequence. Names are spelled out: this migration must never change when the models do.
struct UpdateStatusDecisionsAddSequence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema("status_decisions")
                .field("sequence", .int64, .required, .sql(.default(0))).update()
            let sql = try database.sql()
            try await Self.renumber(on: sql)
            try await sql.drop(index: "status_decisions_subject_idx").run()
            try await Self.createKeys(on: sql)
        }
    }

    /// Numbers every subject's decisions 1, 2, 3 … by `evaluated_at`, ties by id, and deletes every appeal of a
    /// decision but its earliest.
    static func renumber(on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE status_decisions SET sequence = numbered.n
            FROM (SELECT id, row_number() over (partition by subject order by evaluated_at, id) AS n
                  FROM status_decisions) AS numbered
            WHERE status_decisions.id = numbered.id
            """
        ).run()
        try await sql.raw(
            """
            DELETE FROM status_appeals WHERE id IN (
              SELECT id FROM (SELECT id, row_number() over (partition by decision_id order by created_at, id) AS n
                              FROM status_appeals) AS ranked
              WHERE ranked.n > 1)
            """
        ).run()
    }

    /// The unique keys: (subject, sequence) of decisions, decision_id of appeals.
    static func createKeys(on sql: any SQLDatabase) async throws {
        try await sql.create(index: "status_decisions_subject_sequence_key").unique().on("status_decisions")
            .column("subject").column("sequence").run()
        try await sql.create(index: "status_appeals_decision_key").unique().on("status_appeals")
            .column("decision_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { database in
            let sql = try database.sql()
            try await sql.drop(index: "status_appeals_decision_key").run()
            try await sql.drop(index: "status_decisions_subject_sequence_key").run()
            try await sql.create(index: "status_decisions_subject_idx").on("status_decisions")
                .column("subject").column("evaluated_at").run()
            try await database.schema("status_decisions").deleteField("sequence").update()
        }
    }
}
