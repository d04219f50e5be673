import Fluent
import SQLKit
import Vapor

/// Rows to insert, table by table, with explicit columns and binds (no model reflection): one job's writes for
/// ``WriteGate/insert(_:)``, which on SQLite merges the batches queued at the same time into one multi-row
/// statement per table and one transaction (group commit).
struct RowBatch: Sendable {
    struct Table: Sendable {
        let name: String
        let columns: [String]
        var rows: [[any SQLExpression]]
    }

    /// In insertion order (a table whose rows refer to another's comes after it).
    private(set) var tables: [Table] = []

    init() {}

    /// Adds rows of `table`, each given as (column, value) pairs with the same columns in the same order; no rows
    /// adds nothing.
    mutating func add(_ table: String, _ rows: [[(String, any SQLExpression)]]) {
        guard let first = rows.first else { return }
        tables.append(Table(name: table, columns: first.map(\.0), rows: rows.map { $0.map(\.1) }))
    }

    /// The batches merged: rows of the same table and columns share one entry, tables in order of first appearance.
    static func merged(_ batches: [RowBatch]) -> RowBatch {
        var result = RowBatch()
        for batch in batches {
            for table in batch.tables {
                if let index = result.tables.firstIndex(where: { $0.name == table.name && $0.columns == table.columns })
                {
                    result.tables[index].rows += table.rows
                } else {
                    result.tables.append(table)
                }
            }
        }
        return result
    }

    /// Inserts every table's rows, one statement per table (inside the caller's transaction).
    func insert(on sql: any SQLDatabase) async throws {
        for table in tables where !table.rows.isEmpty {
            var builder = sql.insert(into: table.name).columns(table.columns)
            for row in table.rows { builder = builder.values(row) }
            try await builder.run()
        }
    }

    /// Writes a group of batches in one transaction; if it fails and the group has more than one batch, each batch
    /// again in its own transaction, so one bad batch (a duplicate key) fails only itself.
    static func write(_ group: [(RowBatch, CheckedContinuation<Void, any Error>)], on db: any Database) async {
        do {
            let all = merged(group.map(\.0))
            try await db.transaction { tx in try await all.insert(on: tx.sql()) }
            for (_, continuation) in group { continuation.resume() }
        } catch  where group.count > 1 {
            for (batch, continuation) in group {
                do {
                    try await db.transaction { tx in try await batch.insert(on: tx.sql()) }
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            group[0].1.resume(throwing: error)
        }
    }
}
