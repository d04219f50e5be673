import CityDomain
import Fluent
import Vapor

/// `citynet import-regions --file FILE.geojson [--code-property code]` — imports street or grid-cell polygons.
///
/// Input: a GeoJSON FeatureCollection (RFC 7946, WGS84 lon/lat) of Polygon/MultiPolygon features. Each feature's
/// `code` property (or the one named by `--code-property`) is either an existing region code (a street/town:
/// only its polygon is stored) or a new grid cell, which then also needs `name` and `parent` (an existing street
/// code). The whole file is checked before anything is written; a re-import replaces a region's polygon.
/// Polygons are used from the next start of the server.
struct ImportRegionsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "file", help: "GeoJSON FeatureCollection of street or grid-cell polygons (WGS84)")
        var file: String?
        @Option(name: "code-property", help: "Feature property holding the region code (default: code)")
        var codeProperty: String?
    }

    var help: String { "Import street or grid-cell polygons from a GeoJSON file" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.file else { throw CommandFailure("--file FILE.geojson is required") }
        let codeProperty = signature.codeProperty ?? "code"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(path)")
        }
        let app = context.application
        let result = try await RegionImport.run(data: data, codeProperty: codeProperty, app: app, now: Date())
        context.console.print(
            "imported \(result.polygons) polygons (\(result.newGridCells) new grid cells); restart the server to use them"
        )
    }
}

/// Validates and stores imported polygons (see ``ImportRegionsCommand``).
enum RegionImport {
    struct Result: Equatable {
        var polygons: Int
        var newGridCells: Int
    }

    static func run(data: Data, codeProperty: String, app: Application, now: Date) async throws -> Result {
        // Geometry is checked by the domain parser; this pass only reads properties and keeps each feature's text.
        let boundaries = try GeoJSONImport.boundaries(from: data, codeProperty: codeProperty)
        let byCode = Dictionary(boundaries.map { ($0.regionCode, $0) }, uniquingKeysWith: { first, _ in first })
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let features = root["features"] as? [[String: Any]]
        else { throw CommandFailure("not a GeoJSON FeatureCollection") }
        let hierarchy = app.reference.hierarchy
        var newRegions: [Region] = []
        var rows: [(code: String, feature: String)] = []
        for (index, feature) in features.enumerated() {
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let code = properties[codeProperty].map({ "\($0)" }), !code.isEmpty else {
                throw CommandFailure("feature \(index): property '\(codeProperty)' missing")
            }
            if hierarchy[code] == nil {
                guard let name = properties["name"] as? String, let parent = properties["parent"].map({ "\($0)" }),
                    let parentRegion = hierarchy[parent], parentRegion.level == .street
                else {
                    throw CommandFailure(
                        "feature \(index): '\(code)' is not a known region; a new grid cell needs 'name' and 'parent' (a street code)"
                    )
                }
                // The cell must lie where its parent street is: its centre in the parent's district polygon.
                let district = hierarchy.ancestor(of: parent, at: .district)?.code
                if let box = byCode[code]?.boundingBox,
                    let centre = try? GeoPoint(
                        latitude: (box.minLatitude + box.maxLatitude) / 2,
                        longitude: (box.minLongitude + box.maxLongitude) / 2)
                {
                    let containing = app.reference.boundaries.regions(containing: centre)
                    guard let district, containing.contains(district) else {
                        throw CommandFailure(
                            "feature \(index): grid cell '\(code)' lies outside \(hierarchy[district ?? ""]?.nameZh ?? "its parent's district"), the district of its parent '\(parent)'"
                        )
                    }
                }
                newRegions.append(Region(code: code, nameZh: name, level: .grid, parentCode: parent, shortNames: []))
            }
            var stored = feature
            stored["properties"] = ["code": code]
            let text = String(decoding: try JSONSerialization.data(withJSONObject: stored), as: UTF8.self)
            rows.append((code, text))
        }
        _ = try hierarchy.adding(newRegions)  // validates parents and uniqueness before writing
        let regionsToStore = newRegions
        let boundariesToStore = rows
        try await app.writeGate.exclusive { tx in
            for region in regionsToStore {
                let row = RegionRow()
                row.id = region.code
                row.nameZh = region.nameZh
                row.level = region.level.rawValue
                row.parentCode = region.parentCode
                try await row.create(on: tx)
            }
            for (code, text) in boundariesToStore {
                try await RegionBoundaryRow.query(on: tx).filter(\.$regionCode == code).delete()
                let row = RegionBoundaryRow()
                row.regionCode = code
                row.feature = text
                row.importedAt = now
                try await row.create(on: tx)
            }
        }
        return Result(polygons: rows.count, newGridCells: newRegions.count)
    }
}
