import CityDomain
import Fluent
import Vapor

/// An application's materials on the pages: the list (uploads with a link to the file, e-licences by kind), and the
/// file itself, served only after the caller checked who may see the application.
enum GovMaterialFiles {
    struct Listed: Encodable {
        var name: String
        var round: Int
        var detail: String
        /// The file's address on this page's side (citizen's or caseworker's), for uploads.
        var url: String?
    }

    /// The materials of application `id`, oldest round first; `base` is the application's page address. An
    /// e-licence material shows its kind by name (`kinds`, the catalogue's) and the number of the licence attached
    /// with the citizen's consent, or says none is attached.
    static func list(
        _ id: UUID, item: ServiceItem?, kinds: [String: LicenceKind], base: String, language: DisplayLanguage,
        on db: any Database
    ) async throws -> [Listed] {
        let rows = try await GovMaterial.query(on: db).filter(\.$applicationID == id)
            .field(\.$id).field(\.$applicationID).field(\.$materialCode).field(\.$round).field(\.$supply)
            .field(\.$contentType).field(\.$byteCount).field(\.$sha256).field(\.$elicence).field(\.$licenceID)
            .field(\.$createdAt).sort(\.$round).sort(\.$materialCode).all()
        let licenceIDs = rows.compactMap(\.licenceID)
        let numbers =
            licenceIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await GovLicence.query(on: db).filter(\.$id ~~ licenceIDs)
                    .field(\.$id).field(\.$number).all().compactMap { licence in licence.id.map { ($0, licence.number) }
                    })
        func elicence(_ row: GovMaterial) -> String {
            let kind = row.elicence.flatMap { kinds[$0] }.map { language == .zh ? $0.nameZh : $0.nameEn }
            let attached = row.licenceID.flatMap { numbers[$0] }.map {
                "\(GovConsoleText.word("licence_number", language)) \($0)"
            }
            return [kind ?? row.elicence ?? "", attached ?? GovConsoleText.word("licence_not_attached", language)]
                .joined(separator: " · ")
        }
        return rows.map { row in
            let material = item?.materials.first { $0.code == row.materialCode }
            let upload = row.supply == "upload"
            return Listed(
                name: material.map { language == .zh ? $0.nameZh : $0.nameEn } ?? row.materialCode,
                round: row.round,
                detail: upload
                    ? "\(row.contentType ?? "") · \(row.byteCount ?? 0) B · sha256 \(row.sha256?.prefix(12) ?? "")"
                    : elicence(row),
                url: upload ? row.id.map { "\(base)/materials/\($0)" } : nil)
        }
    }

    /// `…/materials/:materialID` of application `id`: the stored bytes with their checked type, as a download
    /// (never rendered as a page of this site); 404 for a material of another application.
    static func response(of id: UUID, req: Request) async throws -> Response {
        guard let materialID = req.parameters.get("materialID").flatMap(UUID.init(uuidString:)),
            let row = try await GovMaterial.query(on: req.db).filter(\.$id == materialID)
                .filter(\.$applicationID == id).filter(\.$supply == "upload").first(),
            let data = row.data
        else { throw Abort(.notFound, reason: "no such material") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: row.contentType ?? "application/octet-stream")
        let ext = UploadContent(rawValue: row.contentType ?? "").map { "\($0)" } ?? "bin"
        headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"\(row.materialCode)-\(row.round).\(ext)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
