import CityDomain
import Fluent
import Foundation

/// Resubmits one refused leg of a bundle: a new application of that item (attempt + 1) with the bundle's files —
/// or the replacements sent — and the same licences attached; the other legs keep their state.
enum BundleResubmission {
    /// - Parameter inputs: replacement uploads for this leg's item (by material code); the bundle's files serve
    ///   the codes not sent.
    /// - Throws: ``BundleApplicationError`` (`unknownLeg` 404, `legNotRefused` 409), ``GovApplicationError`` for a
    ///   faulty upload.
    static func resubmit(
        _ bundle: GovBundle, item code: String, inputs: [MaterialInput], releaser: BundleReleaser, gate: WriteGate,
        now stamp: Date
    ) async throws {
        let now = Timestamps.stored(stamp)
        guard let plan = releaser.bundles[bundle.bundleCode], plan.dependencies[code] != nil,
            let item = releaser.catalogue[code]
        else { throw BundleApplicationError.unknownLeg(code) }
        let bundleID = try bundle.requireID()
        var replacements: [String: GovBundleUpload] = [:]
        for row in try GovSubmission.materials(inputs, for: item, round: 0, requireAll: false, now: now) {
            let upload = GovBundleUpload()
            upload.bundleID = bundleID
            upload.materialCode = row.materialCode
            upload.fileName = row.fileName
            upload.contentType = row.contentType ?? ""
            upload.byteCount = row.byteCount ?? 0
            upload.sha256 = row.sha256 ?? ""
            upload.data = row.data ?? Data()
            replacements[row.materialCode] = upload
        }
        let fresh = replacements
        let consents = (try? JSONDecoder().decode([String].self, from: Data(bundle.consents.utf8))) ?? []
        try await gate.exclusive { db in
            try await BundleReleaser.lock(bundleID, on: db)
            let legs = try await GovBundleLeg.query(on: db).filter(\.$bundleID == bundleID).all()
            guard let leg = legs.first(where: { $0.itemCode == code }) else {
                throw BundleApplicationError.unknownLeg(code)
            }
            let state = try await BundleReleaser.states(of: [leg], on: db)[code] ?? .waiting
            guard state == .application(.refused), let previous = leg.applicationID else {
                let name = if case .application(let s) = state { s.rawValue } else { "waiting" }
                throw BundleApplicationError.legNotRefused(item: code, state: name)
            }
            leg.attempt += 1
            let licences = try await BundleReleaser.licences(
                for: item, plan: plan, legs: legs, consents: consents, citizen: bundle.citizenID, db: db, now: now)
            let uploads = try await BundleReleaser.uploads(of: bundle, on: db).merging(fresh) { $1 }
            let set = BundleLegRows.application(
                leg: leg, citizen: bundle.citizenID, item: item, uploads: uploads, licences: licences,
                consentedAt: bundle.submittedAt, actor: "citizen",
                note: "bundle \(plan.code): resubmitted after refusal (attempt \(leg.attempt))", now: now)
            try await GovSubmissionRows.batch(set).insert(on: db.sql())
            try await BundleReleaser.claim(leg, application: set.application.id, previous: previous, now: now, on: db)
        }
    }
}
