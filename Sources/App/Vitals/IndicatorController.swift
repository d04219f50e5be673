import CityDomain
import Foundation
import Vapor

/// Vital-sign indicators for signed-in operators (CityNet issue 11 §2), within the operator's scope (region, and
/// unit for caseworkers and grid workers, as sensors and cases): `GET /api/v1/indicators` (every indicator, the
/// value for the whole scope) and `GET /api/v1/indicators/:id` (with one value per district the scope reaches).
struct IndicatorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let indicators = routes.grouped("indicators")
        indicators.get(use: list)
        indicators.get(":id", use: read)
    }

    /// `GET /api/v1/indicators` — every defined indicator, in the definitions file's order.
    @Sendable func list(req: Request) async throws -> [IndicatorDTO] {
        let scope = try req.auth.require(OperatorScope.self)
        let sql = try req.db.sql()
        var result: [IndicatorDTO] = []
        for definition in req.application.indicators {
            let computed = try await IndicatorQueries.compute(
                definition, scope: scope, reference: req.reference, on: sql, now: req.now)
            result.append(IndicatorDTO(computed, hierarchy: req.reference.hierarchy, withDistricts: false))
        }
        return result
    }

    /// `GET /api/v1/indicators/:id` — one indicator with its districts; 404 for an unknown id.
    @Sendable func read(req: Request) async throws -> IndicatorDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let id = req.parameters.get("id") ?? ""
        guard let definition = req.application.indicators.first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "indicator '\(id)' not found")
        }
        let computed = try await IndicatorQueries.compute(
            definition, scope: scope, reference: req.reference, on: try req.db.sql(), now: req.now)
        return IndicatorDTO(computed, hierarchy: req.reference.hierarchy, withDistricts: true)
    }
}
