import CityDomain
import Foundation
import SQLKit
import Vapor

/// The sensor registry and each sensor's series, for signed-in operators (CityNet issue 11 §1):
/// `POST /api/v1/sensors`, `POST /api/v1/sensor-imports`, `GET /api/v1/sensors`, `GET /api/v1/sensors/:id`,
/// `GET /api/v1/sensors/:id/series`.
struct SensorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "sensor-imports", body: .collect(maxSize: "4mb"), use: bulk)
        let sensors = routes.grouped("sensors")
        sensors.on(.POST, body: .collect(maxSize: "64kb"), use: create)
        sensors.get(use: list)
        sensors.get(":sensor_id", use: read)
        sensors.get(":sensor_id", "series", use: series)
    }

    /// `POST /api/v1/sensors` — 201 with the sensor as located; 400 naming the problem, 409 for a taken id.
    /// 403 for an operator outside an operations centre, or a sensor located outside the operator's region.
    @Sendable func create(req: Request) async throws -> Response {
        let scope = try Self.registrar(req)
        let input = try req.decodeBody(SensorInput.self)
        let sensor: Sensor
        do { sensor = try SensorRegistry.validate(input, reference: req.reference) } catch {
            throw Abort(.badRequest, reason: "\(error.code): \(error.message)")
        }
        guard scope.canSee(sensor, in: req.reference.hierarchy) else {
            throw Abort(.forbidden, reason: "sensor '\(sensor.id)' lies outside your region")
        }
        let taken = try await SensorRegistry.insert([sensor], now: req.now, gate: req.application.writeGate)
        guard taken.isEmpty else { throw Abort(.conflict, reason: "sensor '\(sensor.id)' is already registered") }
        let response = try await SensorDTO(sensor, hierarchy: req.reference.hierarchy)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/sensors/\(sensor.id)")
        return response
    }

    struct BulkInput: Content {
        var sensors: [SensorInput]
    }

    /// `POST /api/v1/sensor-imports` — registers up to 1,000 sensors (a registry file's contents); 200 with one
    /// result per sensor (`created`, or `error` with `duplicate_id`, `taken` or a validation code). Valid sensors
    /// are stored even when others are not; 422 with the same list when every sensor failed.
    /// 403 for an operator outside an operations centre; a sensor outside the operator's region is an `error` with
    /// `out_of_scope`.
    @Sendable func bulk(req: Request) async throws -> Response {
        let scope = try Self.registrar(req)
        let input = try req.decodeBody(BulkInput.self)
        guard input.sensors.count <= SensorRegistry.maxBulk else {
            throw Abort(.badRequest, reason: "at most \(SensorRegistry.maxBulk) sensors per request")
        }
        var items: [ItemResultDTO] = []
        var valid: [Sensor] = []
        var seen = Set<String>()
        for (index, sensorInput) in input.sensors.enumerated() {
            do {
                let sensor = try SensorRegistry.validate(sensorInput, reference: req.reference)
                guard scope.canSee(sensor, in: req.reference.hierarchy) else {
                    throw SensorProblem(code: "out_of_scope", message: "sensor '\(sensor.id)' lies outside your region")
                }
                guard seen.insert(sensor.id).inserted else {
                    throw SensorProblem(code: "duplicate_id", message: "id '\(sensor.id)' appears twice in this file")
                }
                valid.append(sensor)
                items.append(ItemResultDTO(index: index, status: "created", id: sensor.id))
            } catch let problem as SensorProblem {
                items.append(
                    ItemResultDTO(
                        index: index, status: "error", id: sensorInput.id,
                        error: ItemErrorDTO(code: problem.code, message: problem.message)))
            }
        }
        let taken = try await SensorRegistry.insert(valid, now: req.now, gate: req.application.writeGate)
        for position in items.indices where items[position].status == "created" {
            if let id = items[position].id, taken.contains(id) {
                items[position].status = "error"
                items[position].error = ItemErrorDTO(code: "taken", message: "sensor '\(id)' is already registered")
            }
        }
        let result = BatchResultDTO(items: items)
        return try await result.encodeResponse(status: result.status, for: req)
    }

    struct ListQuery: Content {
        var kind: String?
        var region: String?
        var limit: Int?
        var offset: Int?
    }

    /// `GET /api/v1/sensors?kind=&region=&limit=&offset=` — sensors in id order (region: that region and below),
    /// only those within the operator's scope (region, and unit for caseworkers and grid workers).
    @Sendable func list(req: Request) async throws -> [SensorDTO] {
        let query = try req.decodeQuery(ListQuery.self)
        let hierarchy = req.reference.hierarchy
        let scope = try req.auth.require(OperatorScope.self)
        var kind: SensorKind?
        if let text = query.kind {
            guard let known = SensorKind(rawValue: text) else {
                throw Abort(.badRequest, reason: "unknown kind '\(text)'")
            }
            kind = known
        }
        var regions: [String]?
        if let code = query.region {
            guard hierarchy[code] != nil else { throw Abort(.badRequest, reason: "unknown region '\(code)'") }
            regions = hierarchy.all.map(\.code).filter { hierarchy.isWithin($0, ancestor: code) }
        }
        if let own = scope.regionCodes(in: hierarchy) {
            regions = regions.map { Set($0).intersection(own).sorted() } ?? own
        }
        let limit = query.limit ?? 100
        let offset = query.offset ?? 0
        guard (1...1000).contains(limit), offset >= 0 else {
            throw LocalizedRefusal(.badRequest, "paging.limit_offset", ["maximum": "1000"])
        }
        return try await SensorRegistry.list(
            kind: kind, regionCodes: regions, unitCode: scope.onlyUnit, limit: limit, offset: offset,
            on: try req.db.sql()
        ).map { SensorDTO($0, hierarchy: hierarchy) }
    }

    /// `GET /api/v1/sensors/:id` — 404 for an unknown sensor or one outside the operator's scope.
    @Sendable func read(req: Request) async throws -> SensorDTO {
        return SensorDTO(try await Self.sensor(req), hierarchy: req.reference.hierarchy)
    }

    static func sensor(_ req: Request) async throws -> Sensor {
        let id = req.parameters.get("sensor_id") ?? ""
        guard let sensor = try await SensorRegistry.load([id], on: try req.db.sql())[id],
            try req.auth.require(OperatorScope.self).canSee(sensor, in: req.reference.hierarchy)
        else {
            throw Abort(.notFound, reason: "sensor '\(id)' not found")
        }
        return sensor
    }

    /// The operator when they may register sensors: operations centres only (CityNet issue 11 review).
    private static func registrar(_ req: Request) throws -> OperatorScope {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.worksForACentre else {
            throw Abort(.forbidden, reason: "only operations centres register sensors")
        }
        return scope
    }

    /// `GET /api/v1/sensors/:id/series?attribute=&from=&to=&step=&aggregate=` — see ``ReadingSeries``.
    @Sendable func series(req: Request) async throws -> ReadingSeries.SeriesDTO {
        let sensor = try await Self.sensor(req)
        let query = try req.decodeQuery(ReadingSeries.Query.self)
        let request: ReadingSeries.Request
        do { request = try ReadingSeries.Request(query, sensor: sensor) } catch {
            throw Abort(.badRequest, reason: error.message)
        }
        return try await ReadingSeries.answer(request, on: try req.db.sql())
    }
}
