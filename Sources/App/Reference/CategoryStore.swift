import CityDomain
import Fluent
import Vapor

/// The category taxonomy as stored: one row per category holding its JSON definition. Seeded from the bundled
/// default on first start; afterwards the database is the source of truth and edits go through ``save``.
enum CategoryStore {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// One category as JSON (snake_case keys, as in the bundled `categories.json`).
    static func encode(_ category: Category) throws -> Data { try encoder().encode(category) }

    /// Decodes one category. - Throws: `Abort(.badRequest)` naming the field that is wrong.
    static func decode(_ data: Data) throws -> Category {
        do { return try decoder().decode(Category.self, from: data) } catch let error as DecodingError {
            throw Abort(.badRequest, reason: "invalid category JSON: \(DecodingErrorMessage.describe(error))")
        }
    }

    /// The stored taxonomy, or nil when the table is empty (before seeding).
    static func load(on db: any Database) async throws -> CategoryTaxonomy? {
        let rows = try await CategoryRow.query(on: db).all()
        guard !rows.isEmpty else { return nil }
        let decoder = decoder()
        let categories = try rows.map { try decoder.decode(Category.self, from: Data($0.definition.utf8)) }
        return try CategoryTaxonomy(categories: categories)
    }

    /// Adds or replaces `category`: inside one transaction it re-reads the stored taxonomy (so concurrent edits are
    /// not lost), validates the whole result, writes the row; then installs the stored taxonomy in memory.
    /// - Parameters:
    ///   - db: the database the stored taxonomy is read back from; the write goes through `app`'s ``WriteGate``.
    /// - Throws: `Abort(.badRequest)` with the taxonomy's validation message; nothing is written then.
    static func save(_ category: Category, app: Application, on db: any Database, now: Date) async throws -> Category {
        try check(category)
        let definition = String(decoding: try encode(category), as: UTF8.self)
        let bundled = app.reference.taxonomy
        try await app.writeGate.exclusive { tx in
            let stored = try await load(on: tx) ?? bundled
            var categories = stored.all.filter { $0.code != category.code }
            categories.append(category)
            do { _ = try CategoryTaxonomy(categories: categories) } catch {
                throw Abort(.badRequest, reason: "category rejected: \(error)")
            }
            if let row = try await CategoryRow.find(category.code, on: tx) {
                row.definition = definition
                row.updatedAt = now
                try await row.save(on: tx)
            } else {
                let row = CategoryRow()
                row.id = category.code
                row.definition = definition
                row.updatedAt = now
                try await row.create(on: tx)
            }
        }
        if let taxonomy = try await load(on: db) {
            let updated = app.reference.with(taxonomy: taxonomy)  // built outside the lock readers take
            app.updateReference { _ in updated }
        }
        return category
    }

    /// The longest step limit accepted: a year of working days (or its hours/minutes), far above any real limit.
    static let maxLimit: [TimeLimitUnit: Int] = [.workingDays: 250, .hours: 24 * 365, .minutes: 60 * 24 * 365]

    /// Names are plain text (they are shown to citizens through Open311) and limits are bounded.
    static func check(_ category: Category) throws {
        do {
            try TextRules.validate(category.nameZh, field: "name_zh", maxLength: 100, allowEmpty: false)
            try TextRules.validate(category.nameEn, field: "name_en", maxLength: 200, allowEmpty: false)
            for phrase in category.triggers + category.exclusions {
                try TextRules.validate(phrase, field: "triggers/exclusions", maxLength: 50, allowEmpty: false)
            }
        } catch { throw Abort(.badRequest, reason: "category rejected: \(error)") }
        guard let limits = category.limits else { return }
        for (step, limit) in limits.named where limit.value > maxLimit[limit.unit, default: 0] {
            throw Abort(
                .badRequest,
                reason:
                    "category rejected: the \(step) limit \(limit.value) \(limit.unit.rawValue) is longer than \(maxLimit[limit.unit, default: 0])"
            )
        }
    }
}
