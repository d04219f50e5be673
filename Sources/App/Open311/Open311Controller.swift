import CityDomain
import Fluent
import Open311
import Vapor

/// Open311 GeoReport v2 at `/open311/v2/` (wiki.open311.org/GeoReport_v2), in XML and JSON, plus mySociety's
/// `servicerequestupdates`. Every error, including unknown paths under the prefix, is answered in the spec's
/// error format for the requested suffix.
struct Open311Controller: RouteCollection {
    /// Our jurisdiction: the city's region code. Requests may omit `jurisdiction_id`.
    static let jurisdictions: Set<String> = ["310000", "shanghai"]

    func boot(routes: any RoutesBuilder) throws {
        let v2 = routes.grouped("open311", "v2").grouped(Open311ErrorMiddleware())
        v2.get(":file", use: resource)
        v2.on(.POST, ":file", body: .collect(maxSize: "256kb"), use: create)
        v2.get("services", ":file", use: serviceDefinition)
        v2.get("requests", ":file", use: request)
        v2.get("tokens", ":file") { req -> Response in
            _ = try Self.format(req)
            throw Open311Error.notFound("tokens are not used: POST requests answers with service_request_id at once")
        }
        // Every method, so that a wrong one on a known resource is a 405 in the spec's error format (and OPTIONS a
        // 204), never Vapor's bare 404.
        for method in [HTTPMethod.GET, .POST, .PUT, .PATCH, .DELETE, .TRACE, .OPTIONS] {
            v2.on(method, "**") { req -> Response in
                if req.method == .OPTIONS, let allowed = Self.allowedMethods(path: req.url.path) {
                    return Response(status: .noContent, headers: ["Allow": allowed.joined(separator: ", ")])
                }
                if let allowed = Self.allowedMethods(path: req.url.path), !allowed.contains(req.method.rawValue) {
                    throw Abort(
                        .methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")],
                        reason:
                            "\(req.method) is not allowed on \(req.url.path); use \(allowed.joined(separator: " or "))")
                }
                throw Open311Error.notFound("no such Open311 resource: \(req.method) \(req.url.path)")
            }
        }
    }

    /// The methods a known Open311 resource answers (for a 405), or nil for an unknown path (a 404).
    static func allowedMethods(path: String) -> [String]? {
        let parts = path.split(separator: "/").dropFirst(2).map(String.init)  // after "open311/v2"
        guard let last = parts.last, let (name, _) = try? Open311Format.split(pathComponent: last) else { return nil }
        switch (parts.count, parts.first ?? "") {
        case (1, _) where name == "requests": return ["GET", "POST"]
        case (1, _) where ["discovery", "services", "servicerequestupdates"].contains(name): return ["GET"]
        case (2, "services"), (2, "requests"), (2, "tokens"): return ["GET"]
        default: return nil
        }
    }

    /// The response format from the last path component's suffix.
    static func format(_ req: Request) throws -> (name: String, format: Open311Format) {
        try Open311Format.split(pathComponent: req.parameters.get("file") ?? "")
    }

    /// `GET discovery|services|requests|servicerequestupdates.{format}`.
    @Sendable func resource(req: Request) async throws -> Response {
        let (name, format) = try Self.format(req)
        let query = try Self.queryDictionary(req)
        try Self.checkJurisdiction(query["jurisdiction_id"])
        switch name {
        case "discovery": return try Self.respond(Open311Views.discovery(req), format)
        case "services": return try Self.respond(Open311Views.services(req.reference), format)
        case "requests":
            let parsed = try Open311RequestQuery(query: query, now: req.now)
            return try Self.respond(
                try await Open311Queries.requests(
                    parsed, extensions: parsed.includeExtensions, reference: req.reference, on: req.db), format)
        case "servicerequestupdates":
            let parsed = try Open311UpdatesQuery(query: query, now: req.now)
            return try Self.respond(try await Open311Queries.updates(parsed, on: req.db), format)
        default: throw Open311Error.notFound("no such Open311 resource: \(name)")
        }
    }

    /// `GET services/{service_code}.{format}`.
    @Sendable func serviceDefinition(req: Request) async throws -> Response {
        let (code, format) = try Self.format(req)
        try Self.checkJurisdiction(try Self.queryDictionary(req)["jurisdiction_id"])
        guard let category = req.reference.taxonomy[code] else {
            throw Open311Error.notFound("unknown service_code '\(code)'")
        }
        guard req.reference.isService(category) else {
            throw Open311Error.notFound("'\(code)' is a group of services, not a service; see services.\(format)")
        }
        return try Self.respond(Open311ServiceDefinition(serviceCode: category.code, attributes: []), format)
    }

    /// `GET requests/{service_request_id}.{format}`.
    @Sendable func request(req: Request) async throws -> Response {
        let (id, format) = try Self.format(req)
        let parameters = try Self.queryDictionary(req)
        try Self.checkJurisdiction(parameters["jurisdiction_id"])
        guard let reportID = Int(id) else { throw Open311Error.notFound("service request '\(id)' not found") }
        let extensions = parameters["extensions"]?.lowercased() == "true"
        let query = Open311RequestQuery(serviceRequestIDs: [String(reportID)], window: nil)
        let found = try await Open311Queries.requests(
            query, extensions: extensions, reference: req.reference, on: req.db)
        guard !found.isEmpty else { throw Open311Error.notFound("service request '\(id)' not found") }
        return try Self.respond(found, format)
    }

    /// `POST requests.{format}` — form-encoded. Answers 201 only after the report and its dispatched case are
    /// committed.
    @Sendable func create(req: Request) async throws -> Response {
        let (name, format) = try Self.format(req)
        guard name == "requests" else {
            if Self.allowedMethods(path: req.url.path) != nil {
                throw Abort(
                    .methodNotAllowed, headers: ["Allow": "GET"], reason: "POST is only accepted on requests.\(format)")
            }
            throw Open311Error.notFound("no such Open311 resource: POST \(req.url.path)")
        }
        guard req.headers.contentType?.type == "application",
            req.headers.contentType?.subType == "x-www-form-urlencoded"
        else { throw Open311Error.badRequest("the body must be application/x-www-form-urlencoded (GeoReport v2)") }
        let body = req.body.data.map { String(buffer: $0) } ?? ""
        let pairs = Open311Form.pairs(fromURLEncoded: body)
        try InputText.check(pairs: pairs, place: "form field")
        // The key first: a client without a valid key learns nothing about the rest of its input.
        guard let apiKey = pairs.first(where: { $0.name == "api_key" })?.value, !apiKey.isEmpty else {
            throw Open311InputError.missingAPIKey
        }
        guard let key = try await req.application.apiKeys.lookup(apiKey, on: req.db, now: req.now) else {
            throw Open311Error.forbidden("invalid api_key")
        }
        guard key.scopes.contains(.open311) else {
            throw Open311Error.forbidden(
                "this api_key may not submit Open311 service requests (it is not for scope open311)")
        }
        let submission = try Open311RequestSubmission(formPairs: pairs)
        try Self.checkJurisdiction(submission.jurisdictionID)
        let definition = Open311ServiceDefinition(serviceCode: submission.serviceCode, attributes: [])
        if !submission.attributes.isEmpty {
            let errors = submission.attributeErrors(against: definition)
            if !errors.isEmpty { throw Open311InputError.invalid(errors) }
        }
        let intake = try Open311Intake.report(from: submission, key: key)
        let started = ContinuousClock.now
        let stored = try await CaseIntake.register(
            intake, reference: req.reference, gate: req.application.writeGate, now: req.now, logger: req.logger)
        req.application.metrics.dispatchLatency.record(ContinuousClock.now - started)
        req.application.metrics.reportReceived(source: .open311)
        let unit = req.reference.units[stored.case.unitCode]?.nameZh ?? stored.case.unitCode
        let notice = "已派遣至\(unit) (case \(stored.case.id ?? 0))"
        let created = Open311RequestCreated(serviceRequestID: String(stored.report.id ?? 0), serviceNotice: notice)
        let response = try Self.respond([created], format)
        response.status = .created
        return response
    }

    static func respond<T: Open311Document>(_ value: T, _ format: Open311Format) throws -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.contentType)
        return Response(
            status: .ok, headers: headers, body: .init(data: try Open311Encoder.encode(value, format: format)))
    }

    static func queryDictionary(_ req: Request) throws -> [String: String] {
        guard let query = req.url.query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in Open311Form.pairs(fromURLEncoded: query) { result[pair.name] = pair.value }
        return result
    }

    /// Every endpoint's `jurisdiction_id` check, GET and POST alike: surrounding white space is ignored and a blank
    /// value counts as not sent (as the POST parser reads every field, GeoReport v2 "Optional Arguments"); any other
    /// value but ours is a 404.
    static func checkJurisdiction(_ sent: String?) throws {
        if let id = sent?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty, !jurisdictions.contains(id) {
            throw Open311Error.notFound("unknown jurisdiction_id '\(id)'; this endpoint serves 310000 (Shanghai)")
        }
    }
}
