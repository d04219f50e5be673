import CityDomain
import Foundation

/// The bundled incident data, checked at start: the response plans and the resource depots.
struct IncidentData: Sendable {
    var plans: [ResponsePlan]
    var pools: ResourcePoolFile

    /// - Throws: ``ResponsePlans/LoadError`` naming the file and the refused field.
    static func bundled(units: [String: CityDomain.Unit]) throws -> IncidentData {
        let exists = { (code: String) in units[code] != nil }
        return IncidentData(
            plans: try ResponsePlans.bundled(unitExists: exists),
            pools: try ResourcePoolFile.bundled(unitExists: exists))
    }
}
