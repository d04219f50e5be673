import CityDomain
import Foundation
import SQLKit
import Vapor

/// Response plans and resource pools for signed-in operators: `GET /api/v1/response-plans`,
/// `GET /api/v1/response-plans/{code}`, `PUT /api/v1/response-plans/{code}` (city operators and administrators;
/// 422 naming each refused field) and `GET /api/v1/resources[?kind=]`.
struct ResponsePlanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let plans = routes.grouped("response-plans")
        plans.get(use: list)
        plans.get(":code", use: show)
        plans.on(.PUT, ":code", body: .collect(maxSize: "64kb"), use: save)
        routes.get("resources", use: resources)
    }

    @Sendable func list(req: Request) async throws -> [ResponsePlan] {
        try await ResponsePlans.all(bundled: req.application.bundledResponsePlans, on: try req.db.sql())
    }

    @Sendable func show(req: Request) async throws -> ResponsePlan {
        let code = req.parameters.get("code") ?? ""
        guard let plan = try await list(req: req).first(where: { $0.code == code }) else {
            throw Abort(.notFound, reason: "response plan \(code) not found")
        }
        return plan
    }

    /// Replaces (or adds) the plan `code` with the body, checked field by field: 200 with the stored plan; 422 with
    /// the refused fields (a body that is not a plan's shape names the first field that is not); 403 for operators
    /// other than the city centre's and administrators.
    @Sendable func save(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.editsCityRules else {
            throw Abort(.forbidden, reason: "only city operators and administrators edit response plans")
        }
        let code = req.parameters.get("code") ?? ""
        let plan: ResponsePlan
        do {
            plan = try JSONDecoder().decode(ResponsePlan.self, from: Data(buffer: req.body.data ?? ByteBuffer()))
        } catch let error as DecodingError {
            return try await IncidentOperationsController.refuse(
                Self.field(of: error), "bad_value", DecodingErrorMessage.describe(error), req)
        }
        var errors = plan.problems { req.reference.units[$0] != nil }
        if plan.code != code {
            errors.insert(
                .init(
                    field: "code", code: "code_mismatch",
                    message: "code '\(plan.code)' differs from the path's '\(code)'"),
                at: 0)
        }
        guard errors.isEmpty else {
            return try await IncidentErrorsDTO(errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let atMS = VitalsTime.ms(req.now)
        try await req.application.writeGate.exclusive { db in
            try await ResponsePlans.save(plan, by: scope.username, atMS: atMS, on: try db.sql())
        }
        return try await plan.encodeResponse(for: req)
    }

    /// The dotted path of the field a decoding error is about (`units[0].tasks[1].deadline_minutes`).
    static func field(of error: DecodingError) -> String {
        let context: DecodingError.Context
        var last: String?
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c):
            context = c
            last = key.stringValue
        @unknown default: return ""
        }
        var path = ""
        for key in context.codingPath + (last.map { [AnyKey($0)] } ?? []) {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += (path.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return path
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct ResourceQuery: Content {
        var kind: String?
    }

    /// Every pooled resource with its position, state and demo flag, by kind then id.
    @Sendable func resources(req: Request) async throws -> [ResourceDTO] {
        let text = try req.decodeQuery(ResourceQuery.self).kind
        var kind: ResourceKind?
        if let text {
            guard let parsed = ResourceKind(rawValue: text) else {
                throw Abort(
                    .badRequest,
                    reason: "kind must be one of " + ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            kind = parsed
        }
        return try await ResourcePool(sql: try req.db.sql()).all(kind: kind).map(ResourceDTO.init)
    }
}

extension ResponsePlan: Content {}
