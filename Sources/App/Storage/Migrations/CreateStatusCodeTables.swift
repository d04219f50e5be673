import Fluent
import SQLKit

/// Personal status codes (issue #16): facts from the sources (`status_facts`, unique per source and the source's
/// own id), the rule set versions (`status_rule_sets`), every decision with the version that made it
/// (`status_decisions`), the codes issued (`status_codes`, keyed by their per-code pseudonym, for revocation),
/// appeals (`status_appeals`) and the progress of re-evaluations after a rule change (`status_reevaluations`). Names
/// are spelled out: this migration must never change when the models do.
struct CreateStatusCodeTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("status_facts")
            .field("id", .uuid, .identifier(auto: false))
            .field("source", .string, .required)
            .field("source_id", .string, .required)
            .field("subject", .string, .required)
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("observed_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("received_at", .datetime, .required)
            .unique(on: "source", "source_id")
            .create()
        try await database.schema("status_rule_sets")
            .field("id", .uuid, .identifier(auto: false))
            .field("version", .int, .required)
            .field("rules", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .unique(on: "version")
            .create()
        try await database.schema("status_decisions")
            .field("id", .uuid, .identifier(auto: false))
            .field("subject", .string, .required)
            .field("category", .string, .required)
            .field("reason_code", .string, .required)
            .field("reason_params", .string, .required)
            .field("fact_ids", .string, .required)
            .field("evaluated_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("rule_set_version", .int, .required)
            .create()
        try await database.schema("status_codes")
            .field("id", .string, .identifier(auto: false))
            .field("subject", .string, .required)
            .field("category", .string, .required)
            .field("key_id", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .create()
        try await database.schema("status_appeals")
            .field("id", .uuid, .identifier(auto: false))
            .field("citizen_id", .uuid, .required, .references("citizens", "id"))
            .field("decision_id", .uuid, .required, .references("status_decisions", "id"))
            .field("statement", .string, .required)
            .field("case_id", .int, .required)
            .field("created_at", .datetime, .required)
            .field("due_at", .datetime)
            .create()
        try await database.schema("status_reevaluations")
            .field("id", .uuid, .identifier(auto: false))
            .field("rule_set_version", .int, .required)
            .field("after_subject", .string)
            .field("evaluated", .int, .required)
            .field("changed", .int, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "rule_set_version")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "status_facts_subject_idx").on("status_facts").column("subject").run()
        try await sql.create(index: "status_decisions_subject_idx").on("status_decisions")
            .column("subject").column("evaluated_at").run()
        try await sql.create(index: "status_codes_subject_idx").on("status_codes").column("subject").run()
        try await sql.create(index: "status_codes_expires_idx").on("status_codes").column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "status_reevaluations", "status_appeals", "status_codes", "status_decisions", "status_rule_sets",
            "status_facts",
        ] {
            try await database.schema(table).delete()
        }
    }
}
