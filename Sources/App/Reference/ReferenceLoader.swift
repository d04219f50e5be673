import CityDomain
import Fluent
import Vapor

/// Installs what the database holds over the bundled reference data: the (possibly edited) category taxonomy,
/// imported grid-cell regions and imported street / grid polygons.
enum ReferenceLoader {
    static func loadStored(into app: Application) async throws {
        let db = app.db
        let taxonomy = try await CategoryStore.load(on: db)
        let bundledCodes = Set(app.reference.hierarchy.all.map(\.code))
        let extraRegions = try await RegionRow.query(on: db).all().filter { !bundledCodes.contains($0.id ?? "") }
        let features = try await RegionBoundaryRow.query(on: db).all().map(\.feature)
        var reference = app.reference
        if let taxonomy { reference = reference.with(taxonomy: taxonomy) }
        if !extraRegions.isEmpty || !features.isEmpty {
            let regions = try extraRegions.map { row in
                guard let level = RegionLevel(rawValue: row.level) else {
                    throw Abort(.internalServerError, reason: "stored region \(row.id ?? "?") has level \(row.level)")
                }
                return Region(
                    code: row.id ?? "", nameZh: row.nameZh, level: level, parentCode: row.parentCode,
                    shortNames: [])
            }
            let hierarchy = try reference.hierarchy.adding(regions)
            let collection = "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}"
            let boundaries = try GeoJSONImport.boundaries(from: Data(collection.utf8), codeProperty: "code")
            reference = reference.with(hierarchy: hierarchy, boundaries: reference.boundaries.adding(boundaries))
        }
        let installed = reference
        app.updateReference { _ in installed }
    }
}
