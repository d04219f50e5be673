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
            throw Abort(.badRequest, reason: "invalid category JSON: \(describe(error))")
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

    /// Inserts rows for every category of `taxonomy`.
    static func seed(_ taxonomy: CategoryTaxonomy, on db: any Database, now: Date) async throws {
        let encoder = encoder()
        let rows = try taxonomy.all.map { category in
            let row = CategoryRow()
            row.id = category.code
            row.definition = String(decoding: try encoder.encode(category), as: UTF8.self)
            row.updatedAt = now
            return row
        }
        try await rows.create(on: db)
    }

    /// Adds or replaces `category`, validating the whole resulting taxonomy first, then stores it and installs
    /// it in memory. - Throws: `Abort(.badRequest)` with the taxonomy's validation message.
    static func save(_ category: Category, app: Application, on db: any Database, now: Date) async throws -> Category {
        var categories = app.reference.taxonomy.all.filter { $0.code != category.code }
        categories.append(category)
        let taxonomy: CategoryTaxonomy
        do { taxonomy = try CategoryTaxonomy(categories: categories) } catch {
            throw Abort(.badRequest, reason: "category rejected: \(error)")
        }
        let definition = String(decoding: try encode(category), as: UTF8.self)
        if let row = try await CategoryRow.find(category.code, on: db) {
            row.definition = definition
            row.updatedAt = now
            try await row.save(on: db)
        } else {
            let row = CategoryRow()
            row.id = category.code
            row.definition = definition
            row.updatedAt = now
            try await row.create(on: db)
        }
        app.updateReference { $0!.with(taxonomy: taxonomy) }
        return category
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
