import CityDomain
import Foundation
import SQLKit

/// The rows of a bundle leg's application: an ordinary application of the item (so its department handles it at
/// its own desk), with the bundle's shared files and the attached licences as its materials.
enum BundleLegRows {
    /// The leg application's client token: one per bundle, item and attempt, so that the unique (citizen, token)
    /// index refuses a second application for the same attempt whatever path made it.
    static func token(bundle: UUID, item: String, attempt: Int) -> String { "bundle:\(bundle):\(item):\(attempt)" }

    /// A new application for `leg` (attempt `leg.attempt`, already incremented by the caller) with the files of
    /// `uploads` its item asks for and, per e-licence material code, the licence in `licences` (attached with
    /// consent given at `consentedAt`).
    static func application(
        leg: GovBundleLeg, citizen: UUID, item: ServiceItem, uploads: [String: GovBundleUpload],
        licences: [String: UUID], consentedAt: Date, actor: String, note: String, now: Date
    ) -> GovSubmissionRows.RowSet {
        let id = UUID()
        let application = GovApplication()
        application.id = id
        application.citizenID = citizen
        application.itemCode = item.code
        application.unitCode = leg.unitCode
        application.regionCode = leg.regionCode
        application.state = .submitted
        application.clientToken = token(bundle: leg.bundleID, item: item.code, attempt: leg.attempt)
        application.submittedAt = now
        application.wasAccepted = false
        application.clockStops = "[]"
        application.updatedAt = now
        application.version = 0
        var materials: [GovMaterial] = []
        for material in item.materials {
            let row = GovMaterial()
            row.id = UUID()
            row.applicationID = id
            row.materialCode = material.code
            row.round = 0
            row.createdAt = now
            switch material.supply {
            case .upload:
                guard let upload = uploads[material.code] else { continue }
                row.supply = "upload"
                row.fileName = upload.fileName
                row.contentType = upload.contentType
                row.byteCount = upload.byteCount
                row.sha256 = upload.sha256
                row.data = upload.data
            case .elicence:
                row.supply = "elicence"
                row.elicence = material.elicence
                if let licence = licences[material.code] {
                    row.licenceID = licence
                    row.consentedAt = consentedAt
                }
            }
            materials.append(row)
        }
        let event = GovApplicationEvent(
            applicationID: id, at: now, action: "submit", from: nil, to: .submitted, actor: actor,
            unitCode: leg.unitCode, note: note)
        event.id = UUID()
        let notice = GovOutbox.notice(for: application, note: note, now: now)
        return GovSubmissionRows.RowSet(
            application: application, materials: materials, event: event, notice: notice, access: nil)
    }

    private static func b<Value: Encodable & Sendable>(_ value: Value?) -> any SQLExpression { IntakeRows.b(value) }
    private static func b(_ value: Date?) -> any SQLExpression { IntakeRows.b(value) }

    static func values(_ row: GovBundle) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("citizen_id", b(row.citizenID)), ("bundle_code", b(row.bundleCode)),
            ("region_code", b(row.regionCode)), ("client_token", b(row.clientToken)),
            ("body_sha256", b(row.bodySHA256)), ("fields", b(row.fields)), ("consents", b(row.consents)),
            ("submitted_at", b(row.submittedAt)), ("due_at", b(row.dueAt)),
            ("time_limit_problem", b(row.timeLimitProblem)),
        ]
    }

    static func values(_ row: GovBundleLeg) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("bundle_id", b(row.bundleID)), ("item_code", b(row.itemCode)),
            ("position", b(row.position)), ("unit_code", b(row.unitCode)), ("region_code", b(row.regionCode)),
            ("application_id", b(row.applicationID)), ("attempt", b(row.attempt)),
            ("released_at", b(row.releasedAt)),
        ]
    }

    static func values(_ row: GovBundleUpload) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("bundle_id", b(row.bundleID)), ("material_code", b(row.materialCode)),
            ("file_name", b(row.fileName)), ("content_type", b(row.contentType)), ("byte_count", b(row.byteCount)),
            ("sha256", b(row.sha256)), ("data", b(row.data)),
        ]
    }
}
