import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The stored schema is what the migrations say, on SQLite and PostgreSQL alike; migrations refer to no live code,
/// undo what they do, and the hand-written intake inserts name exactly the models' columns.
@Suite struct StorageSchemaTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources").standardized
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema.txt")

    /// Every table of the current schema as `table: column[!]…` lines, `!` marking NOT NULL, sorted. PostgreSQL's
    /// partitions (the monthly `readings_pYYYYMM` of ``PartitionReadingsByTime``) are left out: they are storage of
    /// their parent, repeat its columns, and come and go with the data; the parent is listed like any table.
    static func describeSchema(_ db: any Database) async throws -> String {
        let sql = try #require(db as? any SQLDatabase)
        struct Column: Decodable {
            var table: String
            var column: String
            var notNull: Bool
        }
        let columns: [Column]
        if sql.dialect.name == "sqlite" {
            struct Table: Decodable { var name: String }
            let tables = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_fluent_migrations'"
            ).all(decoding: Table.self)
            var found: [Column] = []
            for table in tables {
                struct Info: Decodable {
                    var name: String
                    var notnull: Int
                    var pk: Int
                }
                for info in try await sql.raw("PRAGMA table_info(\(ident: table.name))").all(decoding: Info.self) {
                    found.append(
                        Column(table: table.name, column: info.name, notNull: info.notnull == 1 || info.pk == 1))
                }
            }
            columns = found
        } else {
            struct Info: Decodable {
                var table: String
                var column: String
                var nullable: String
            }
            columns = try await sql.raw(
                """
                SELECT table_name AS "table", column_name AS "column", is_nullable AS "nullable" FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name <> '_fluent_migrations'
                AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition)
                """
            ).all(decoding: Info.self).map {
                Column(table: $0.table, column: $0.column, notNull: $0.nullable == "NO")
            }
        }
        let byTable = Dictionary(grouping: columns, by: \.table)
        return byTable.keys.sorted().map { table in
            "\(table): " + byTable[table]!.map { $0.column + ($0.notNull ? "!" : "") }.sorted().joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    @Test func migratedSchemaMatchesTheSnapshot() async throws {
        try await TestApp.withApp { app, _ in
            let actual = try await Self.describeSchema(app.db)
            let expected = try String(contentsOf: Self.fixture, encoding: .utf8)
            #expect(
                actual == expected,
                "the schema changed: add a new migration (never edit a landed one) and update Fixtures/schema.txt to:\n\(actual)"
            )
        }
    }

    @Test func revertingEveryMigrationAndMigratingAgainGivesTheSameSchema() async throws {
        try await TestApp.withApp { app, _ in
            try await app.autoRevert()
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await Self.describeSchema(app.db) == "\n", "revert left tables behind")
            try await app.autoMigrate()
            #expect(try await Self.describeSchema(app.db) == String(contentsOf: Self.fixture, encoding: .utf8))
            struct Count: Decodable { var n: Int }
            let regions = try await sql.raw("SELECT COUNT(*) AS n FROM regions").first(decoding: Count.self)
            #expect(regions?.n == app.reference.hierarchy.all.count)
        }
    }

    /// A migration that called a model (`Case.schema`), an enum or a seeding helper would change silently when
    /// that code changes; migrations spell out their names instead.
    @Test func migrationsReferToNoLiveCode() throws {
        let files = try FileManager.default.contentsOfDirectory(
            at: Self.sources.appendingPathComponent("App/Storage/Migrations"), includingPropertiesForKeys: nil)
        #expect(files.count >= 9)
        var declared = Set<String>()
        let declaration = /(?:class|struct|enum|actor|protocol|typealias)\s+([A-Z][A-Za-z0-9_]*)/
        for module in ["App", "CityDomain", "Hotline", "Open311"] {
            let root = Self.sources.appendingPathComponent(module)
            for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            where url.pathExtension == "swift" && !url.path.contains("/Migrations/") {
                for match in try String(contentsOf: url, encoding: .utf8).matches(of: declaration) {
                    declared.insert(String(match.1))
                }
            }
        }
        declared.subtract(["ReferenceSeed", "SeedError"])  // the seed's plain-value input, declared beside it
        #expect(declared.contains("Case") && declared.contains("CaseState") && declared.contains("APIKeyScope"))
        for file in files where file.pathExtension == "swift" {
            let code = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let words = Set(code.matches(of: /[A-Za-z_][A-Za-z0-9_]*/).map { String($0.0) })
            let live = words.intersection(declared).subtracting([file.deletingPathExtension().lastPathComponent])
            #expect(live.isEmpty, "\(file.lastPathComponent) refers to live code: \(live.sorted())")
        }
    }

    @Test func intakeInsertsNameEveryColumnOfTheModels() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            try await Open311IntakeTests.post(
                app,
                [
                    "api_key": key, "service_code": "noise.construction", "lat": "31.2397", "long": "121.4998",
                    "description": "工地夜间施工噪音", "email": "a@example.com", "first_name": "Li",
                ]
            ) { res in #expect(res.status == .created) }
            let record = try #require(try await Case.query(on: app.db).first())
            let report = try #require(try await Report.query(on: app.db).first())
            let event = try #require(try await CaseEvent.query(on: app.db).first())

            let caseColumns = Set(IntakeRows.caseValues(record).map(\.0)).union(IntakeRows.caseColumnsLeftNull)
            #expect(caseColumns.union(["id"]) == Set(Case.keys.map(\.description)))
            #expect(caseColumns.count == IntakeRows.caseValues(record).count + IntakeRows.caseColumnsLeftNull.count)
            #expect(Set(IntakeRows.reportValues(report).map(\.0)).union(["id"]) == Set(Report.keys.map(\.description)))
            #expect(Set(IntakeRows.eventColumns).union(["id"]) == Set(CaseEvent.keys.map(\.description)))
            #expect(IntakeRows.eventValues(event).count == IntakeRows.eventColumns.count)
        }
    }

    @Test func aCaseAndReportWrittenByIntakeRowsReadBackUnchanged() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            try await Open311IntakeTests.post(
                app,
                [
                    "api_key": key, "service_code": "noise.construction", "lat": "31.2397", "long": "121.4998",
                    "address_string": "浦东新区陆家嘴街道", "description": "工地夜间施工噪音", "email": "a@example.com",
                    "phone": "13800000000", "first_name": "Li", "last_name": "Wei", "device_id": "d-1",
                    "account_id": "acc-1",
                ]
            ) { res in #expect(res.status == .created) }
            let sql = try #require(app.db as? any SQLDatabase)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            func json<M: Model>(_ model: M, without: Set<String>) throws -> [String: String] {
                let object = try JSONSerialization.jsonObject(with: encoder.encode(model)) as! [String: Any]
                return object.filter { !without.contains($0.key) }.mapValues { "\($0)" }
            }
            let original = try #require(try await Case.query(on: app.db).first())
            let copy = try JSONDecoder().decode(Case.self, from: encoder.encode(original))
            copy.id = nil
            let newID = try await IntakeRows.insert(copy, on: sql)
            let reread = try #require(try await Case.find(newID, on: app.db))
            #expect(try json(reread, without: ["id"]) == json(original, without: ["id"]))

            let report = try #require(try await Report.query(on: app.db).first())
            let reportCopy = try JSONDecoder().decode(Report.self, from: encoder.encode(report))
            reportCopy.id = nil
            let reportID = try await IntakeRows.insert(reportCopy, on: sql)
            let rereadReport = try #require(try await Report.find(reportID, on: app.db))
            #expect(try json(rereadReport, without: ["id"]) == json(report, without: ["id"]))
            #expect(report.reporterPhone == "13800000000" && report.deviceID == "d-1")
        }
    }
}
