import Fluent
import SQLKit

/// Seeds the resource pools (issue 15 §3) with the rows given at start (built from
/// `Resources/incidents/resource-pools.json`); a row whose id is taken is left as it is. `revert` deletes the rows
/// of the given ids.
struct SeedIncidentResources: AsyncMigration {
    let rows: [IncidentResourceSeedRow]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !rows.isEmpty else { return }
        for start in stride(from: 0, to: rows.count, by: 200) {
            let insert = sql.insert(into: "resources")
                .columns("id", "kind", "name", "depot", "unit_code", "latitude", "longitude", "demo", "state")
            for row in rows[start..<min(start + 200, rows.count)] {
                insert.values(
                    SQLBind(row.id), SQLBind(row.kind), SQLBind(row.name), SQLBind(row.depot),
                    SQLBind(row.unitCode), SQLBind(row.latitude), SQLBind(row.longitude), SQLBind(row.demo),
                    SQLBind(row.state))
            }
            try await insert.ignoringConflicts(with: "id").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !rows.isEmpty else { return }
        try await sql.delete(from: "resources").where("id", .in, rows.map(\.id)).run()
    }
}

/// One resource to seed, as plain values.
struct IncidentResourceSeedRow: Sendable {
    var id: String
    var kind: String
    var name: String
    var depot: String
    var unitCode: String
    var latitude: Double
    var longitude: Double
    var demo: Bool
    var state: String
}
