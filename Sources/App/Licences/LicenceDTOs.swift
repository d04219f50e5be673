import CityDomain
import Vapor

/// A domain document (``LicenceKeySet``, ``LicenceStatusDocument``) as a JSON response, keys sorted, with a
/// cache lifetime: the bytes offline verifiers fetch and keep.
func licenceDocumentResponse(_ document: some Encodable, maxAge: Int) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var headers = HTTPHeaders()
    headers.contentType = .json
    headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(maxAge)")
    return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(document)))
}

/// An issued licence as its holder and its issuer see it; the holder's identity number only masked.
struct LicenceDTO: Content {
    var number: String
    var kind: String
    var kindNameZh: String
    var kindNameEn: String
    var holderName: String
    var holderIdentityNumber: String
    var issuer: String
    var issuedAt: Date
    var validUntil: Date?
    var keyId: String
    var applicationId: UUID
    var revokedAt: Date?
    var revokeReason: String?
    /// The QR text (``LicenceQR``).
    var payload: String

    enum CodingKeys: String, CodingKey {
        case number, kind, issuer, payload
        case kindNameZh = "kind_name_zh"
        case kindNameEn = "kind_name_en"
        case holderName = "holder_name"
        case holderIdentityNumber = "holder_identity_number"
        case issuedAt = "issued_at"
        case validUntil = "valid_until"
        case keyId = "key_id"
        case applicationId = "application_id"
        case revokedAt = "revoked_at"
        case revokeReason = "revoke_reason"
    }

    init(_ licence: GovLicence, kinds: [String: LicenceKind]) {
        number = licence.number
        kind = licence.kind
        kindNameZh = kinds[licence.kind]?.nameZh ?? licence.kind
        kindNameEn = kinds[licence.kind]?.nameEn ?? licence.kind
        holderName = licence.holderName
        holderIdentityNumber = licence.holderIDMasked
        issuer = licence.issuerUnit
        issuedAt = licence.issuedAt
        validUntil = licence.validUntil
        keyId = licence.keyID
        applicationId = licence.applicationID
        revokedAt = licence.revokedAt
        revokeReason = licence.revokeReason
        payload = licence.payload
    }
}

struct LicenceListDTO: Content {
    var licences: [LicenceDTO]
}

/// The answer of `POST /api/v1/licence-verifications`.
struct LicenceVerificationDTO: Content {
    /// What the signed payload says, shown when its signature verified.
    struct Contents: Content {
        var number: String
        var kind: String
        var kindNameZh: String?
        var kindNameEn: String?
        var holderName: String
        var holderIdentityNumber: String
        var issuer: String
        var issuedAt: Date
        var validUntil: Date?
        var keyId: String
        var statusIndex: Int

        enum CodingKeys: String, CodingKey {
            case number, kind, issuer
            case kindNameZh = "kind_name_zh"
            case kindNameEn = "kind_name_en"
            case holderName = "holder_name"
            case holderIdentityNumber = "holder_identity_number"
            case issuedAt = "issued_at"
            case validUntil = "valid_until"
            case keyId = "key_id"
            case statusIndex = "status_index"
        }

        init(_ payload: LicencePayload, kinds: [String: LicenceKind]) {
            number = payload.number
            kind = payload.kind
            kindNameZh = kinds[payload.kind]?.nameZh
            kindNameEn = kinds[payload.kind]?.nameEn
            holderName = payload.holderName
            holderIdentityNumber = payload.holderIdentity
            issuer = payload.issuer
            issuedAt = Date(timeIntervalSince1970: TimeInterval(payload.issuedAt))
            validUntil = payload.validUntil.map { Date(timeIntervalSince1970: TimeInterval($0)) }
            keyId = payload.keyID
            statusIndex = Int(payload.statusIndex)
        }
    }

    var outcome: LicenceCheck.Outcome
    var reasonZh: String
    var reasonEn: String
    var licence: Contents?

    enum CodingKeys: String, CodingKey {
        case outcome, licence
        case reasonZh = "reason_zh"
        case reasonEn = "reason_en"
    }

    init(_ check: LicenceCheck, kinds: [String: LicenceKind]) {
        outcome = check.outcome
        reasonZh = check.reasonZh
        reasonEn = check.reasonEn
        let signed = ![.malformed, .tampered, .unknownKey].contains(check.outcome)
        licence = signed ? check.payload.map { Contents($0, kinds: kinds) } : nil
    }
}
