import CityDomain
import Foundation
import Vapor

/// The resource depots of `Resources/incidents/resource-pools.json`: each a position, an owning unit and a number
/// of resources of one kind. CityNet has no cited source for real depot locations, so every shipped depot is a
/// demo position (`demo: true`), and the resources seeded from it carry that flag to every API answer.
struct ResourcePoolFile: Codable, Sendable {
    struct Depot: Codable, Sendable {
        var code: String
        var nameZh: String
        var nameEn: String
        var kind: ResourceKind
        var unitCode: String
        var latitude: Double
        var longitude: Double
        var count: Int
        var demo: Bool

        enum CodingKeys: String, CodingKey {
            case code, kind, latitude, longitude, count, demo
            case nameZh = "name_zh", nameEn = "name_en", unitCode = "unit_code"
        }
    }

    var version: Int
    var note: String
    var depots: [Depot]

    /// The bundled file, checked: known units, valid positions, 1–500 resources a depot, unique depot codes.
    /// - Throws: ``ResponsePlans/LoadError`` naming the depot and field.
    static func bundled(unitExists: (String) -> Bool) throws -> ResourcePoolFile {
        guard
            let url = Bundle.module.url(
                forResource: "resource-pools", withExtension: "json", subdirectory: "Resources/incidents")
        else {
            throw ResponsePlans.LoadError(
                description: "Resources/incidents/resource-pools.json is missing from the app bundle")
        }
        let file = try JSONDecoder().decode(ResourcePoolFile.self, from: Data(contentsOf: url))
        var codes = Set<String>()
        for (index, depot) in file.depots.enumerated() {
            func fail(_ field: String, _ message: String) -> ResponsePlans.LoadError {
                .init(description: "resource-pools.json: depots[\(index)].\(field): \(message)")
            }
            guard codes.insert(depot.code).inserted else { throw fail("code", "'\(depot.code)' is used twice") }
            guard unitExists(depot.unitCode) else { throw fail("unit_code", "unknown unit '\(depot.unitCode)'") }
            guard (try? GeoPoint(latitude: depot.latitude, longitude: depot.longitude)) != nil else {
                throw fail("latitude", "not a WGS84 position")
            }
            guard (1...500).contains(depot.count) else { throw fail("count", "must be 1–500") }
        }
        return file
    }

    /// One row per resource: id `<depot>-<nnn>`, named after the depot.
    var resources: [IncidentResourceSeedRow] {
        depots.flatMap { depot in
            (1...depot.count).map { n in
                let number = String(format: "%03d", n)
                return IncidentResourceSeedRow(
                    id: "\(depot.code)-\(number)", kind: depot.kind.rawValue, name: "\(depot.nameZh) \(number)",
                    depot: depot.code, unitCode: depot.unitCode, latitude: depot.latitude,
                    longitude: depot.longitude, demo: depot.demo, state: "available")
            }
        }
    }
}
