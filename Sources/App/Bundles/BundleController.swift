import CityDomain
import Fluent
import Vapor

/// `GET /api/v1/bundles` (public: the bundles with their computed savings) and the citizen's bundle applications
/// under `/api/v1/me/bundle-applications`: start one from one form, read one with its legs (only their own:
/// another citizen's answers 404 and the attempt is logged), resubmit a refused leg.
struct BundleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("bundles", use: list)
        routes.get("bundles", ":code", use: one)
        let me = routes.grouped(CitizenAuthenticator(), CitizenGuard())
        let body = ByteCount(value: GovSubmission.maxBodyBytes)
        me.on(.POST, "me", "bundle-applications", body: .collect(maxSize: body), use: start)
        me.get("me", "bundle-applications", ":id", use: read)
        me.on(
            .POST, "me", "bundle-applications", ":id", "legs", ":code", "resubmission",
            body: .collect(maxSize: body),
            use: resubmit)
    }

    @Sendable func list(req: Request) async throws -> BundleListDTO {
        let services = req.govServices
        return BundleListDTO(bundles: services.bundles.plans.map { BundleDTO($0, catalogue: services.catalogue) })
    }

    @Sendable func one(req: Request) async throws -> BundleDTO {
        let code = req.parameters.get("code") ?? ""
        guard let plan = req.govServices.bundles[code] else {
            throw Abort(.notFound, reason: "unknown bundle '\(code)' (see GET /api/v1/bundles)")
        }
        return BundleDTO(plan, catalogue: req.govServices.catalogue)
    }

    @Sendable func start(req: Request) async throws -> Response {
        let scope = try req.auth.require(CitizenScope.self)
        let form = try req.decodeBody(BundleForm.self)
        guard let token = (req.headers.first(name: "Idempotency-Key") ?? form.clientToken).nonBlank,
            token.unicodeScalars.count <= 100
        else { throw GovApplicationError.tokenRequired }
        let services = req.govServices
        guard let plan = services.bundles[form.bundleCode] else {
            throw BundleApplicationError.unknownBundle(form.bundleCode)
        }
        var held: [String: [String: GovLicence]] = [:]
        if let consents = form.consents, !consents.isEmpty {
            for code in plan.order {
                guard let item = services.catalogue[code] else { continue }
                held[code] = try await LicenceReuse.held(citizen: scope.citizenID, item: item, db: req.db, now: req.now)
            }
        }
        let outcome = try await BundleStart.start(
            citizen: scope.citizenID, plan: plan, form: form, token: token, held: held, catalogue: services.catalogue,
            reference: req.reference, gate: req.application.writeGate, db: req.db, now: req.now,
            access: req.accessEntry(citizen: scope.citizenID, action: "start_bundle", target: nil, allowed: true))
        let detail = try await BundleQueries.detail(outcome.bundle, releaser: services.bundleReleaser, on: req.db)
        return try await detail.encodeResponse(status: outcome.created ? .created : .ok, for: req)
    }

    /// The bundle `:id` if it is the signed-in citizen's; otherwise 404, and the attempt is logged.
    func owned(_ req: Request, action: String) async throws -> (CitizenScope, GovBundle) {
        let scope = try req.auth.require(CitizenScope.self)
        let text = req.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text),
            let bundle = try await BundleQueries.own(id, citizen: scope.citizenID, on: req.db)
        else {
            try await req.logAccess(citizen: scope.citizenID, action: action, target: text, allowed: false)
            throw BundleApplicationError.notFound
        }
        return (scope, bundle)
    }

    @Sendable func read(req: Request) async throws -> BundleApplicationDTO {
        let (scope, bundle) = try await owned(req, action: "read_bundle")
        try await req.logAccess(
            citizen: scope.citizenID, action: "read_bundle", target: bundle.id?.uuidString, allowed: true)
        return try await BundleQueries.detail(bundle, releaser: req.govServices.bundleReleaser, on: req.db)
    }

    struct ResubmissionBody: Content {
        var materials: [MaterialInput]?
    }

    @Sendable func resubmit(req: Request) async throws -> BundleApplicationDTO {
        let (_, bundle) = try await owned(req, action: "resubmit_bundle_leg")
        let body = try req.decodeBody(ResubmissionBody.self)
        let releaser = req.govServices.bundleReleaser
        try await BundleResubmission.resubmit(
            bundle, item: req.parameters.get("code") ?? "", inputs: body.materials ?? [], releaser: releaser,
            gate: req.application.writeGate, now: req.now)
        return try await BundleQueries.detail(bundle, releaser: releaser, on: req.db)
    }
}
