import CityDomain
import Vapor

/// `GET /api/v1/service-items` (browse and search the catalogue; public) and `GET /api/v1/service-items/{code}`.
struct GovCatalogueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("service-items", use: list)
        routes.get("service-items", ":code", use: show)
    }

    struct Query: Decodable {
        var department: String?
        var lifeEvent: String?
        var q: String?

        enum CodingKeys: String, CodingKey {
            case department, q
            case lifeEvent = "life_event"
        }
    }

    struct ListDTO: Content {
        var items: [ServiceItemDTO]
        var count: Int
    }

    @Sendable func list(req: Request) async throws -> ListDTO {
        let query = try req.decodeQuery(Query.self)
        let catalogue = req.govServices.catalogue
        var department: UnitKind?
        // A parameter given empty is refused like any other value outside the list (the document's enum).
        if let text = query.department {
            guard let kind = UnitKind(rawValue: text) else {
                throw Abort(.badRequest, reason: "unknown department '\(text)' (a unit kind such as health, police)")
            }
            department = kind
        }
        let event = query.lifeEvent
        if let event, !catalogue.lifeEvents.contains(where: { $0.code == event }) {
            throw Abort(
                .badRequest,
                reason: "unknown life_event '\(event)'; one of "
                    + catalogue.lifeEvents.map(\.code).joined(separator: ", "))
        }
        if let q = query.q, q.unicodeScalars.count > 100 {
            throw Abort(.badRequest, reason: "q must be at most 100 characters")
        }
        let items = catalogue.search(department: department, lifeEvent: event, query: query.q).map(ServiceItemDTO.init)
        return ListDTO(items: items, count: items.count)
    }

    @Sendable func show(req: Request) async throws -> ServiceItemDTO {
        let code = req.parameters.get("code") ?? ""
        guard let item = req.govServices.catalogue[code] else {
            throw Abort(.notFound, reason: "unknown service item '\(code)'")
        }
        return ServiceItemDTO(item)
    }
}
