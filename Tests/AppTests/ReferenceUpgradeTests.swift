import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// A database seeded by an earlier version receives the units and categories it lacks on upgrade, and keeps what
/// it holds (``AddMissingReferenceRows``).
@Suite struct ReferenceUpgradeTests {
    @Test func missingUnitsAndCategoriesAreAddedAndEditedOnesKept() async throws {
        try await TestApp.withApp { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            // What a database seeded before issues 10 and 13 looks like: no civil-affairs units, no toilet category.
            try await sql.delete(from: "units").where("kind", .equal, "civil_affairs").run()
            try await sql.delete(from: "categories").where("code", .equal, "sanitation.public_toilet").run()
            try await sql.update("categories").set("definition", to: "{\"edited\":true}")
                .where("code", .equal, "sanitation.garbage").run()
            let seed = try ReferenceSeed(app.reference)

            try await AddMissingReferenceRows(seed: seed).prepare(on: app.db)

            let civil = try await sql.select().column(
                SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))
            ).from("units")
                .where("kind", .equal, "civil_affairs").first(decodingColumn: "n", as: Int.self)
            #expect(civil == 17)  // the city and its 16 districts
            let definition = { (code: String) in
                try await sql.select().column("definition").from("categories").where("code", .equal, code)
                    .first(decodingColumn: "definition", as: String.self)
            }
            #expect(try await definition("sanitation.public_toilet")?.contains("公厕") == true)
            #expect(try await definition("sanitation.garbage") == "{\"edited\":true}")
            // Run again (a second node, a re-run): nothing changes, nothing fails.
            try await AddMissingReferenceRows(seed: seed).prepare(on: app.db)
            let units = try await sql.select().column(
                SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))
            ).from("units")
                .first(decodingColumn: "n", as: Int.self)
            #expect(units == seed.units.count)
        }
    }
}
