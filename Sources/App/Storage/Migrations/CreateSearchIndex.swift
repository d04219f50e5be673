import Fluent
import Foundation
import SQLKit

/// The search index (issue #12 §2): `search_grams` holds one row per (gram, report) for every character and every
/// pair of adjacent characters of a report's normalised description and address (``CityDomain/SearchText``), read
/// newest first down its primary key; `search_texts` holds each report's normalised text, to confirm a phrase, and
/// its reporter's phone digits, indexed for the exact phone search. Existing reports are indexed here, in batches.
///
/// The backfill applies a frozen copy of the search rule as it stood when this migration was written (CityDomain's
/// `SearchText`: NFKC, lower case, letters and digits only; unigrams and bigrams; phone digits): a later change of
/// that rule needs a new migration that rebuilds the index, never an edit of this one. `SearchTests` checks that
/// the backfill and the live write path index alike.
struct CreateSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_grams")
            .field("gram", .string, .required)
            .field("report_id", .int, .required)
            .compositeIdentifier(over: "gram", "report_id")
            .create()
        try await database.schema("search_texts")
            .field("report_id", .int, .identifier(auto: false))
            .field("body", .string, .required)
            .field("phone", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "search_texts_phone_idx").on("search_texts").column("phone").column("report_id")
            .run()
        var after = 0
        while true {
            let rows = try await sql.select().column("id").column("description").column("address")
                .column("reporter_phone").from("reports").where("id", .greaterThan, after)
                .orderBy("id").limit(2_000).all()
            guard let last = rows.last else { break }
            var texts = sql.insert(into: "search_texts").columns("report_id", "body", "phone")
            var grams: [(String, Int)] = []
            for row in rows {
                let id = try row.decode(column: "id", as: Int.self)
                let description = Self.normalise(try row.decode(column: "description", as: String?.self) ?? "")
                let address = Self.normalise(try row.decode(column: "address", as: String?.self) ?? "")
                let phone = try row.decode(column: "reporter_phone", as: String?.self).flatMap(Self.phoneDigits)
                texts = texts.values(
                    SQLBind(id), SQLBind(description + " " + address), phone.map { SQLBind($0) } ?? SQLLiteral.null)
                let all = Set(Self.grams(description) + Self.grams(address))
                grams += all.sorted().map { ($0, id) }
            }
            try await texts.run()
            var start = 0
            while start < grams.count {
                var insert = sql.insert(into: "search_grams").columns("gram", "report_id")
                for (gram, id) in grams[start..<min(grams.count, start + 5_000)] {
                    insert = insert.values(SQLBind(gram), SQLBind(id))
                }
                try await insert.run()
                start += 5_000
            }
            after = try last.decode(column: "id", as: Int.self)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_texts").delete()
        try await database.schema("search_grams").delete()
    }

    private static func normalise(_ text: String) -> String {
        String(text.precomposedStringWithCompatibilityMapping.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    private static func grams(_ normalised: String) -> [String] {
        let characters = Array(normalised)
        var grams = Set(characters.map { String($0) })
        if characters.count > 1 {
            for index in 1..<characters.count {
                grams.insert(String(characters[index - 1]) + String(characters[index]))
            }
        }
        return grams.sorted()
    }

    private static func phoneDigits(_ text: String) -> String? {
        var digits = text.filter { !" -.()（）".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("+") { digits.removeFirst() }
        guard (7...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }
}
