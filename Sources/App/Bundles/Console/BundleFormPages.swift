import CityDomain
import Vapor

/// `GET /console/citizen/bundles/:code` (the bundle's legs, savings and its one form) and
/// `POST …/bundles/:code/apply` (multipart: district, shared fields `f_<code>`, one file `m_<code>` per upload
/// material, the consent), which starts the bundle through ``BundleStart`` exactly as the JSON API does.
struct BundleFormPages {
    struct Leg: Encodable {
        var code: String
        var name: String
        var waitsFor: [String]
        var promisedDays: Int
    }

    struct Field: Encodable {
        var code: String
        var name: String
        var required: Bool
    }

    struct Page: Encodable {
        var page: ConsolePage
        var code: String
        var name: String
        var legs: [Leg]
        var figures: [BundleListPages.Figure]
        var fields: [Field]
        var uploads: [Field]
        var districts: [CitizenServicePages.Option]
        var signedIn: Bool
        var clientToken: String
    }

    private func plan(_ req: Request) throws -> BundlePlan {
        let code = req.parameters.get("code") ?? ""
        guard let plan = req.govServices.bundles[code] else {
            throw Abort(.notFound, reason: "unknown bundle '\(code)'")
        }
        return plan
    }

    /// The upload materials of the bundle's legs, each code once (the form's one file serves every leg asking).
    static func uploads(_ plan: BundlePlan, catalogue: ServiceCatalogue, zh: Bool) -> [Field] {
        var seen = Set<String>()
        var fields: [Field] = []
        for item in plan.order.compactMap({ catalogue[$0] }) {
            for material in item.uploads where seen.insert(material.code).inserted {
                fields.append(
                    Field(
                        code: material.code, name: zh ? material.nameZh : material.nameEn, required: material.required))
            }
        }
        return fields
    }

    @Sendable func show(req: Request) async throws -> View {
        let plan = try plan(req)
        let language = req.pageLanguage
        let zh = language == .zh
        let catalogue = req.govServices.catalogue
        let name = { (code: String) in catalogue[code].map { zh ? $0.nameZh : $0.nameEn } ?? code }
        let page = ConsolePage.bundles(req, title: "bundles")
        return try await req.view.render(
            "gov/citizen-bundle",
            Page(
                page: page, code: plan.code,
                name: zh ? plan.definition.nameZh : plan.definition.nameEn,
                legs: plan.order.map {
                    Leg(
                        code: $0, name: name($0), waitsFor: (plan.dependencies[$0] ?? []).map(name),
                        promisedDays: catalogue[$0]?.promisedDays ?? 0)
                },
                figures: BundleListPages.figures(BundleSavings(plan: plan, catalogue: catalogue), t: page.t),
                fields: plan.definition.sharedFields.map {
                    Field(code: $0.code, name: zh ? $0.nameZh : $0.nameEn, required: $0.required)
                },
                uploads: Self.uploads(plan, catalogue: catalogue, zh: zh),
                districts: req.reference.hierarchy.regions(at: .district).sorted { $0.code < $1.code }.map {
                    CitizenServicePages.Option(code: $0.code, name: $0.name(in: language), selected: false)
                },
                signedIn: req.auth.has(CitizenPageUser.self), clientToken: Access.newSecret()))
    }

    @Sendable func apply(req: Request) async throws -> Response {
        let scope = try req.auth.require(CitizenScope.self)
        let plan = try plan(req)
        let catalogue = req.govServices.catalogue
        return try await req.govForm(back: CitizenPageSession.root + "/bundles/" + plan.code) {
            var fields: [String: String] = [:]
            for field in plan.definition.sharedFields {
                if let value = try? req.content.get(String.self, at: "f_" + field.code) { fields[field.code] = value }
            }
            var materials: [MaterialInput] = []
            for upload in Self.uploads(plan, catalogue: catalogue, zh: true) {
                guard let file = try? req.content.get(File.self, at: "m_" + upload.code), file.data.readableBytes > 0
                else { continue }
                materials.append(
                    MaterialInput(
                        code: upload.code, fileName: file.filename.isEmpty ? nil : file.filename,
                        contentBase64: Data(file.data.readableBytesView).base64EncodedString()))
            }
            let token = (try? req.content.get(String.self, at: "client_token")).nonBlank ?? ""
            let form = BundleForm(
                bundleCode: plan.code, regionCode: (try? req.content.get(String.self, at: "region_code")).nonBlank,
                fields: fields, materials: materials,
                consent: (try? req.content.get(String.self, at: "consent")) == "on", consents: nil, clientToken: token)
            guard !token.isEmpty, token.unicodeScalars.count <= 100 else { throw GovApplicationError.tokenRequired }
            let outcome = try await BundleStart.start(
                citizen: scope.citizenID, plan: plan, form: form, token: token, held: [:], catalogue: catalogue,
                reference: req.reference, gate: req.application.writeGate, db: req.db, now: req.now,
                access: req.accessEntry(citizen: scope.citizenID, action: "start_bundle", target: nil, allowed: true))
            let zh = req.pageLanguage == .zh
            return req.consoleRedirect(
                CitizenPageSession.root + "/bundle-applications/\(try outcome.bundle.requireID())",
                ok: (zh ? "已提交：" : "Submitted: ") + (zh ? plan.definition.nameZh : plan.definition.nameEn))
        }
    }
}
