import CityDomain
import Fluent
import Vapor

/// Regions, units and the category taxonomy: read by every operator, categories edited by administrators.
struct ReferenceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("regions", use: regions)
        routes.get("regions", "locate", use: locate)
        routes.get("units", use: units)
        routes.get("categories", use: categories)
        routes.get("categories", ":code", use: category)
        routes.put("categories", ":code", use: saveCategory)
    }

    struct RegionQuery: Content {
        var parent: String?
        var level: String?
    }

    /// `GET /api/v1/regions?parent=CODE&level=district` — the whole hierarchy or a filtered part.
    @Sendable func regions(req: Request) async throws -> [RegionDTO] {
        let query = try req.decodeQuery(RegionQuery.self)
        let hierarchy = req.reference.hierarchy
        var result = hierarchy.all
        if let parent = query.parent {
            guard hierarchy[parent] != nil else { throw Abort(.badRequest, reason: "unknown region '\(parent)'") }
            result = hierarchy.children(of: parent)
        }
        if let level = query.level {
            guard let wanted = RegionLevel(rawValue: level) else {
                throw Abort(.badRequest, reason: "unknown level '\(level)'; one of city, district, street, grid")
            }
            result = result.filter { $0.level == wanted }
        }
        return result.map(RegionDTO.init)
    }

    struct LocateQuery: Content {
        var lat: Double?
        var long: Double?
        var address: String?
        var region: String?
    }

    /// `GET /api/v1/regions/locate?lat=&long=&address=&region=` — where a report would be located.
    @Sendable func locate(req: Request) async throws -> LocatedDTO {
        let query = try req.decodeQuery(LocateQuery.self)
        var point: GeoPoint?
        switch (query.lat, query.long) {
        case (let lat?, let long?): point = try GeoPoint(latitude: lat, longitude: long)
        case (nil, nil): point = nil
        default: throw Abort(.badRequest, reason: "give both lat and long, or neither")
        }
        if let address = query.address { try TextRules.validate(address, field: "address", maxLength: 500) }
        do {
            let located = try req.reference.locator.locate(
                point: point, addressText: query.address, chosenRegionCode: query.region)
            return LocatedDTO(
                regionCode: located.regionCode, regionName: req.reference.hierarchy[located.regionCode]?.nameZh ?? "",
                method: located.method.rawValue, candidates: located.candidates)
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
    }

    struct UnitQuery: Content {
        var region: String?
        var kind: String?
    }

    /// `GET /api/v1/units?region=CODE&kind=police`.
    @Sendable func units(req: Request) async throws -> [UnitDTO] {
        let query = try req.decodeQuery(UnitQuery.self)
        var result = Array(req.reference.units.values)
        if let region = query.region { result = result.filter { $0.regionCode == region } }
        if let kind = query.kind {
            guard let wanted = UnitKind(rawValue: kind) else {
                throw Abort(.badRequest, reason: "unknown kind '\(kind)'")
            }
            result = result.filter { $0.kind == wanted }
        }
        return result.sorted { $0.code < $1.code }.map(UnitDTO.init)
    }

    /// `GET /api/v1/categories` — the taxonomy as data.
    @Sendable func categories(req: Request) async throws -> Response {
        try jsonResponse(req.reference.taxonomy.encodedJSON())
    }

    @Sendable func category(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        guard let category = req.reference.taxonomy[code] else {
            throw Abort(.notFound, reason: "category '\(code)' not found")
        }
        return try jsonResponse(CategoryStore.encode(category))
    }

    /// `PUT /api/v1/categories/:code` — create or replace one category (administrators only). The whole taxonomy
    /// is re-validated before anything is stored.
    @Sendable func saveCategory(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.role == .administrator, scope.regionCode == req.reference.hierarchy.root.code else {
            throw Abort(.forbidden, reason: "only city-level administrators may edit the city-wide category taxonomy")
        }
        let code = req.parameters.get("code") ?? ""
        guard let body = req.body.data else { throw Abort(.badRequest, reason: "expected a JSON category body") }
        try InputText.check(body: body, contentType: .json)
        let category = try CategoryStore.decode(Data(buffer: body))
        guard category.code == code else {
            throw Abort(.badRequest, reason: "body code '\(category.code)' does not match the path code '\(code)'")
        }
        let updated = try await CategoryStore.save(category, app: req.application, on: req.db, now: req.now)
        req.logger.notice("category saved", metadata: ["category": "\(code)", "actor": "\(scope.username)"])
        return try jsonResponse(CategoryStore.encode(updated))
    }

    private func jsonResponse(_ data: Data) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
