import CityDomain
import Fluent
import Foundation
import Vapor

/// Starts a bundle application: checks the one form, then writes the bundle, its files, one leg per item and an
/// ordinary application for every leg that waits for nothing — all in ONE transaction through the write gate, so
/// that a crash leaves either the whole bundle or nothing. Idempotent per (citizen, client token).
enum BundleStart {
    /// What ``start(citizen:plan:form:token:held:services:reference:gate:db:now:access:)`` made or found.
    struct Outcome {
        var bundle: GovBundle
        /// False when the token's bundle already existed (a retry with the same form).
        var created: Bool
    }

    /// - Parameters:
    ///   - held: per leg item, the held licences by material code (``LicenceReuse/held(citizen:item:db:now:)``),
    ///     used for the codes the citizen consents to in `form.consents`.
    ///   - access: the citizen's access-log entry, written in the same transaction.
    /// - Throws: ``BundleApplicationError``, ``GovApplicationError`` (region, upload faults),
    ///   ``LicenceReuse/ConsentError``; `bodyChanged` when the token was used with another form.
    static func start(
        citizen: UUID, plan: BundlePlan, form: BundleForm, token: String, held: [String: [String: GovLicence]],
        catalogue: ServiceCatalogue, reference: CityReference, gate: WriteGate, db: any Database, now stamp: Date,
        access: GovAccessEntry
    ) async throws -> Outcome {
        let now = Timestamps.stored(stamp)
        let digest = form.digest
        if let found = try await existing(citizen: citizen, token: token, digest: digest, db: db) { return found }
        let fields = try form.checkedFields(for: plan)
        if form.consent != true, !plan.definition.feeds.isEmpty {
            let feeds = plan.definition.feeds.map { "\($0.from) → \($0.to).\($0.material)" }
            throw BundleApplicationError.consentRequired(feeds.joined(separator: ", "))
        }
        let items = plan.order.compactMap { catalogue[$0] }
        let bundleID = UUID()
        var legs: [GovBundleLeg] = []
        for (position, item) in items.enumerated() {
            let (unit, region) = try GovSubmission.unit(
                for: item, regionCode: form.regionCode.nonBlank, reference: reference)
            let leg = GovBundleLeg()
            leg.id = UUID()
            leg.bundleID = bundleID
            leg.itemCode = item.code
            leg.position = position
            leg.unitCode = unit
            leg.regionCode = region
            leg.attempt = 0
            legs.append(leg)
        }
        let uploads = try BundleUploads.check(form.materials ?? [], plan: plan, items: items, bundle: bundleID)
        let consents = (form.consents ?? []).sorted()
        let reuse = try BundleUploads.heldLicences(consents: consents, plan: plan, items: items, held: held)
        let bundle = GovBundle()
        bundle.id = bundleID
        bundle.citizenID = citizen
        bundle.bundleCode = plan.code
        bundle.regionCode = form.regionCode.nonBlank
        bundle.clientToken = token
        bundle.bodySHA256 = digest
        bundle.fields = String(decoding: try JSONEncoder.sorted.encode(fields), as: UTF8.self)
        bundle.consents = String(decoding: try JSONEncoder.sorted.encode(consents), as: UTF8.self)
        bundle.submittedAt = now
        let days = BundleSavings(plan: plan, catalogue: catalogue).days.bundle
        do {
            bundle.dueAt = try ApplicationClock(acceptedAt: now, stops: []).due(
                days: days, deadlines: reference.deadlines)
        } catch { bundle.timeLimitProblem = "\(error)" }
        var batches: [RowBatch] = []
        var head = RowBatch()
        head.add(GovBundle.schema, [BundleLegRows.values(bundle)])
        head.add(
            GovBundleUpload.schema,
            uploads.values.sorted { $0.materialCode < $1.materialCode }.map(BundleLegRows.values))
        batches.append(head)
        let byCode = Dictionary(uniqueKeysWithValues: items.map { ($0.code, $0) })
        for code in plan.ready(satisfied: [], released: []) {
            guard let leg = legs.first(where: { $0.itemCode == code }), let item = byCode[code] else { continue }
            leg.attempt = 1
            let set = BundleLegRows.application(
                leg: leg, citizen: citizen, item: item, uploads: uploads, licences: reuse[code] ?? [:],
                consentedAt: now, actor: "citizen", note: "bundle \(plan.code)", now: now)
            leg.applicationID = set.application.id
            leg.releasedAt = now
            batches.append(GovSubmissionRows.batch(set))
        }
        access.target = bundleID.uuidString
        var tail = RowBatch()
        tail.add(GovBundleLeg.schema, legs.map(BundleLegRows.values))
        tail.add(GovAccessEntry.schema, [GovSubmissionRows.values(access)])
        batches.append(tail)
        do {
            try await gate.insert(RowBatch.merged(batches))
        } catch {
            // A parallel request with the same token won: answer as a retry would.
            if let failure = error as? any DatabaseError, failure.isConstraintFailure,
                let found = try await existing(citizen: citizen, token: token, digest: digest, db: db)
            {
                return found
            }
            throw error
        }
        return Outcome(bundle: bundle, created: true)
    }

    /// The bundle the citizen already made with `token`: returned when the form is the same, refused when not.
    static func existing(citizen: UUID, token: String, digest: String, db: any Database) async throws -> Outcome? {
        guard
            let bundle = try await GovBundle.query(on: db).filter(\.$citizenID == citizen)
                .filter(\.$clientToken == token).first()
        else { return nil }
        guard bundle.bodySHA256 == digest else { throw BundleApplicationError.bodyChanged }
        return Outcome(bundle: bundle, created: false)
    }
}
