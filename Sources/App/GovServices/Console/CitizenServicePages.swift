import CityDomain
import Vapor

/// `GET /console/citizen/services` (search by keyword, browse by department and life event), `GET …/services/:code`
/// (the item's guide and the application form) and `POST …/services/:code/apply` (multipart: one file per upload
/// material), which submits through ``GovApplications/submit(citizen:item:regionCode:token:materials:access:reference:gate:db:now:)``
/// exactly as the JSON API does.
struct CitizenServicePages {
    struct Option: Encodable {
        var code: String
        var name: String
        var selected: Bool
    }

    struct ItemRow: Encodable {
        var code: String
        var name: String
        var department: String
        var immediate: Bool
        var promisedDays: Int
        var legalDays: Int
    }

    struct ListPage: Encodable {
        var page: ConsolePage
        var q: String
        var departments: [Option]
        var lifeEvents: [Option]
        var items: [ItemRow]
    }

    @Sendable func list(req: Request) async throws -> View {
        let language = req.pageLanguage
        let catalogue = req.govServices.catalogue
        let q = String((req.query[String.self, at: "q"] ?? "").prefix(100))
        let department = req.query[String.self, at: "department"].flatMap(UnitKind.init(rawValue:))
        let event = req.query[String.self, at: "life_event"].flatMap { code in
            catalogue.lifeEvents.contains { $0.code == code } ? code : nil
        }
        let kinds = Set(catalogue.items.map(\.department))
        let departments = UnitKind.allCases.filter(kinds.contains).map {
            Option(code: $0.rawValue, name: language == .zh ? $0.nameZh : $0.nameEn, selected: $0 == department)
        }
        let events = catalogue.lifeEvents.map {
            Option(code: $0.code, name: language == .zh ? $0.nameZh : $0.nameEn, selected: $0.code == event)
        }
        let items = catalogue.search(department: department, lifeEvent: event, query: q).map {
            ItemRow(
                code: $0.code, name: language == .zh ? $0.nameZh : $0.nameEn,
                department: language == .zh ? $0.department.nameZh : $0.department.nameEn,
                immediate: $0.kind == .immediate, promisedDays: $0.promisedDays, legalDays: $0.legalDays)
        }
        return try await req.view.render(
            "gov/citizen-services",
            ListPage(
                page: .gov(req, title: "services", active: "services"), q: q, departments: departments,
                lifeEvents: events, items: items))
    }

    struct MaterialView: Encodable {
        var code: String
        var name: String
        var upload: Bool
        var required: Bool
        /// The held licence that would be reused with consent (issue #14 §2): its number, or nil.
        var heldNumber: String? = nil
    }

    struct ItemPage: Encodable {
        var page: ConsolePage
        var item: ItemRow
        var cityLevel: Bool
        var online: Bool
        var visits: Int
        var fee: String
        var steps: [String]
        var materials: [MaterialView]
        var districts: [Option]
        var signedIn: Bool
        /// A fresh idempotency token: sending the form twice makes one application.
        var clientToken: String
    }

    /// The item `:code`, or 404.
    private func item(_ req: Request) throws -> ServiceItem {
        let code = req.parameters.get("code") ?? ""
        guard let item = req.govServices.catalogue[code] else {
            throw Abort(.notFound, reason: "unknown service item '\(code)'")
        }
        return item
    }

    @Sendable func show(req: Request) async throws -> View {
        let item = try item(req)
        let language = req.pageLanguage
        let zh = language == .zh
        let districts = req.reference.hierarchy.regions(at: .district).sorted { $0.code < $1.code }
            .map { Option(code: $0.code, name: $0.name(in: language), selected: false) }
        let fee =
            item.feeYuan == 0
            ? GovConsoleText.word("free", language) : String(format: "%.2f 元", item.feeYuan)
        var held: [String: GovLicence] = [:]
        if let citizen = req.auth.get(CitizenPageUser.self) {
            held = try await LicenceReuse.held(citizen: citizen.citizenID, item: item, db: req.db, now: req.now)
        }
        return try await req.view.render(
            "gov/citizen-item",
            ItemPage(
                page: .gov(req, title: "services", active: "services"),
                item: ItemRow(
                    code: item.code, name: zh ? item.nameZh : item.nameEn,
                    department: zh ? item.department.nameZh : item.department.nameEn,
                    immediate: item.kind == .immediate, promisedDays: item.promisedDays, legalDays: item.legalDays),
                cityLevel: item.level == .city, online: item.online, visits: item.visits,
                fee: fee + (item.feeNote.map { " · \($0)" } ?? ""), steps: item.steps,
                materials: item.materials.map {
                    MaterialView(
                        code: $0.code, name: zh ? $0.nameZh : $0.nameEn, upload: $0.supply == .upload,
                        required: $0.required, heldNumber: held[$0.code]?.number)
                },
                districts: districts, signedIn: req.auth.has(CitizenPageUser.self), clientToken: Access.newSecret()))
    }

    @Sendable func apply(req: Request) async throws -> Response {
        let scope = try req.auth.require(CitizenScope.self)
        let item = try item(req)
        let back = CitizenPageSession.root + "/services/" + item.code
        return try await req.govForm(back: back, item: item) {
            guard let token = (try? req.content.get(String.self, at: "client_token")).nonBlank,
                token.unicodeScalars.count <= 100
            else { throw GovApplicationError.tokenRequired }
            let region = (try? req.content.get(String.self, at: "region_code")).nonBlank
            let access = req.accessEntry(citizen: scope.citizenID, action: "submit", target: nil, allowed: true)
            // Checked boxes `consent_<material code>`: reuse of the held licence shown beside the material.
            let consents = item.materials.filter {
                $0.supply == .elicence && (try? req.content.get(String.self, at: "consent_" + $0.code)) == "on"
            }.map(\.code)
            var licences: [String: UUID] = [:]
            if !consents.isEmpty {
                let held = try await LicenceReuse.held(citizen: scope.citizenID, item: item, db: req.db, now: req.now)
                licences = try LicenceReuse.attachments(consents: consents, item: item, held: held)
            }
            let (application, _) = try await GovApplications.submit(
                citizen: scope.citizenID, item: item, regionCode: region, token: token,
                materials: try req.uploadedMaterials(for: item), access: access, licences: licences,
                reference: req.reference, gate: req.application.writeGate, db: req.db, now: req.now)
            let id = try application.requireID()
            return req.consoleRedirect(
                CitizenPageSession.root + "/applications/\(id)",
                ok: (req.pageLanguage == .zh ? "已提交：" : "Submitted: ")
                    + (req.pageLanguage == .zh ? item.nameZh : item.nameEn))
        }
    }
}

extension Request {
    /// The files of a multipart form, one field `m_<material code>` per upload material of `item`, as the API's
    /// material inputs (an empty file field, a material not chosen, is left out).
    func uploadedMaterials(for item: ServiceItem) throws -> [MaterialInput] {
        item.uploads.compactMap { material in
            guard let file = try? content.get(File.self, at: "m_" + material.code),
                file.data.readableBytes > 0 || !file.filename.isEmpty
            else { return nil }
            return MaterialInput(
                code: material.code, fileName: file.filename.isEmpty ? nil : file.filename,
                contentBase64: Data(file.data.readableBytesView).base64EncodedString())
        }
    }
}
