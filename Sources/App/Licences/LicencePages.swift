import CityDomain
import Vapor

/// `GET /console/citizen/licence-check` (anyone: paste a licence payload, see whether it is valid and why; a GET
/// form, since checking changes nothing) and `GET /console/citizen/licences` (the signed-in citizen's licences, each
/// with its payload as a QR code drawn here as inline SVG and as text to copy). Chinese first, English with `?lang=en`.
struct LicencePages {
    struct Field: Encodable {
        var label: String
        var value: String
    }

    struct CheckPage: Encodable {
        var page: ConsolePage
        var payload: String
        /// Nil before a payload is pasted.
        var outcome: String?
        var outcomeName: String?
        var valid: Bool
        var reason: String?
        var fields: [Field]
    }

    @Sendable func check(req: Request) async throws -> View {
        let zh = req.pageLanguage == .zh
        let payload = (req.query[String.self, at: "payload"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var page = CheckPage(
            page: .gov(req, title: "licence_check", active: "licence_check"), payload: payload, outcome: nil,
            outcomeName: nil, valid: false, reason: nil, fields: [])
        if !payload.isEmpty {
            guard payload.unicodeScalars.count <= 4096 else {
                throw Abort(.badRequest, reason: "payload must be at most 4096 characters")
            }
            let check = try await LicenceRegister.check(
                payload, keys: req.govServices.licenceKeys, db: req.db, now: req.now)
            let dto = LicenceVerificationDTO(check, kinds: req.govServices.catalogue.licenceKinds)
            page.outcome = dto.outcome.rawValue
            page.outcomeName = GovConsoleText.word("outcome_" + dto.outcome.rawValue, req.pageLanguage)
            page.valid = dto.outcome == .valid
            page.reason = zh ? dto.reasonZh : dto.reasonEn
            if let licence = dto.licence {
                let word = { (key: String) in GovConsoleText.word(key, req.pageLanguage) }
                page.fields = [
                    Field(label: word("licence_number"), value: licence.number),
                    Field(
                        label: word("licence_kind"),
                        value: (zh ? licence.kindNameZh : licence.kindNameEn) ?? licence.kind),
                    Field(label: word("holder"), value: "\(licence.holderName) \(licence.holderIdentityNumber)"),
                    Field(label: word("issuer"), value: req.reference.unitName(licence.issuer, in: req.pageLanguage)),
                    Field(label: word("issued_at"), value: Timestamps.format(licence.issuedAt)),
                    Field(
                        label: word("valid_until"),
                        value: licence.validUntil.map(Timestamps.format) ?? word("no_end")),
                    Field(label: word("key_id"), value: licence.keyId),
                ]
            }
        }
        return try await req.view.render("gov/licence-check", page)
    }

    struct Row: Encodable {
        var number: String
        var kindName: String
        var issuer: String
        var issuedAt: Date
        var validUntil: Date?
        var revoked: Bool
        var payload: String
        /// The payload as an SVG QR code (``QRCode``, level M), nil only if it could not be encoded (a payload past
        /// a version 40 code's 3,391 alphanumeric characters; licence payloads are a few hundred).
        var qrSVG: String?
        /// The check page with this payload (percent-encoded: Base45 has spaces, `%` and `+`).
        var checkURL: String
    }

    /// `payload` as an inline SVG QR code at level M with a 4-module quiet zone, titled `title` for screen readers.
    static func qrSVG(_ payload: String, title: String) -> String? {
        (try? QRCode.encode(payload, level: .medium))?.svg(title: title, cssClass: "qr")
    }

    static func checkURL(_ payload: String, _ req: Request) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        let encoded = payload.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return CitizenPageSession.root + "/licence-check?payload=" + encoded
            + (req.pageLanguage == .zh ? "" : "&lang=en")
    }

    struct ListPage: Encodable {
        var page: ConsolePage
        var rows: [Row]
    }

    @Sendable func mine(req: Request) async throws -> View {
        let zh = req.pageLanguage == .zh
        let list = try await LicenceController().mine(req: req)
        return try await req.view.render(
            "gov/citizen-licences",
            ListPage(
                page: .gov(req, title: "my_licences", active: "licences"),
                rows: list.licences.map {
                    let kindName = zh ? $0.kindNameZh : $0.kindNameEn
                    let title = "\(GovConsoleText.word("licence_qr", req.pageLanguage)) \(kindName) \($0.number)"
                    return Row(
                        number: $0.number, kindName: kindName,
                        issuer: req.reference.unitName($0.issuer, in: req.pageLanguage), issuedAt: $0.issuedAt,
                        validUntil: $0.validUntil, revoked: $0.revokedAt != nil, payload: $0.payload,
                        qrSVG: Self.qrSVG($0.payload, title: title), checkURL: Self.checkURL($0.payload, req))
                }))
    }
}
