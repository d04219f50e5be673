import CityDomain
import Vapor

/// Fact ingestion for the three outside sources, each with its own API key scope (issue #16 §1):
/// `POST /api/v1/status-facts/gov_register` (scope `facts_gov_register`), `/carrier` (`facts_carrier`),
/// `/transit` (`facts_transit`), body `{"facts": […]}`, at most 1,000 facts.
struct StatusSourcesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "status-facts", ":source", body: .collect(maxSize: "1mb"), use: ingest)
    }

    /// The scope a key needs to send facts of `source` (nil: not sent with a key).
    static func scope(_ source: FactSource) -> APIKeyScope? {
        switch source {
        case .govRegister: .factsGovRegister
        case .carrier: .factsCarrier
        case .transit: .factsTransit
        case .selfDeclaration: nil
        }
    }

    /// 200 with one result per fact, in order (`accepted` with the fact's id, `duplicate`, or `error` with a
    /// code), or 422 with the same list when every fact failed; 401 without a key, 403 for a key without this
    /// source's scope, 404 for another source, 400 for a body that is not a batch or one over 1,000 facts.
    @Sendable func ingest(req: Request) async throws -> Response {
        guard let source = req.parameters.get("source").flatMap(FactSource.init(rawValue:)),
            let needed = Self.scope(source)
        else { throw Abort(.notFound, reason: "no such fact source: gov_register, carrier or transit") }
        guard let secret = req.headers.first(name: "X-API-Key"), !secret.isEmpty else {
            throw Abort(
                .unauthorized, reason: "send X-API-Key: <key> (citynet apikey create --scope \(needed.rawValue))")
        }
        guard let key = try await req.application.apiKeys.lookup(secret, on: req.db, now: req.now) else {
            throw Abort(.unauthorized, reason: "invalid API key")
        }
        guard key.scopes.contains(needed) else {
            throw Abort(
                .forbidden,
                reason:
                    "API key '\(key.name)' may not send \(source.rawValue) facts: it needs --scope \(needed.rawValue)")
        }
        let inputs = try req.decodeBody(FactBatchInput.self).facts
        guard inputs.count <= FactIngest.maxBatch else {
            throw Abort(.badRequest, reason: "at most \(FactIngest.maxBatch) facts per batch")
        }
        let items = try await FactIngest.ingest(
            inputs, source: source, vault: req.govServices.vault, db: req.db, gate: req.application.writeGate,
            now: req.now)
        let result = BatchResultDTO(items: items)
        return try await result.encodeResponse(status: result.status, for: req)
    }
}
