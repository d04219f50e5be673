import CityDomain
import Fluent
import Foundation

/// Reads of bundle applications for their citizen.
enum BundleQueries {
    /// The citizen's own bundle application, or nil (someone else's is nil too).
    static func own(_ id: UUID, citizen: UUID, on db: any Database) async throws -> GovBundle? {
        try await GovBundle.query(on: db).filter(\.$id == id).filter(\.$citizenID == citizen).first()
    }

    /// `bundle` with its legs in order, each leg's state and the bundle's state derived from them.
    static func detail(_ bundle: GovBundle, releaser: BundleReleaser, on db: any Database) async throws
        -> BundleApplicationDTO
    {
        let id = try bundle.requireID()
        let legs = try await GovBundleLeg.query(on: db).filter(\.$bundleID == id).sort(\.$position).all()
        let ids = legs.compactMap(\.applicationID)
        let applications = ids.isEmpty ? [] : try await GovApplication.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: applications.compactMap { app in app.id.map { ($0, app) } })
        let plan = releaser.bundles[bundle.bundleCode]
        var states: [BundleLegState] = []
        let rows = legs.map { leg in
            let application = leg.applicationID.flatMap { byID[$0] }
            let state: BundleLegState = application.map { .application($0.state) } ?? .waiting
            states.append(state)
            let item = releaser.catalogue[leg.itemCode]
            return BundleApplicationDTO.Leg(
                itemCode: leg.itemCode, nameZh: item?.nameZh ?? leg.itemCode, nameEn: item?.nameEn ?? leg.itemCode,
                state: application?.state.rawValue ?? "waiting", waitsFor: plan?.dependencies[leg.itemCode] ?? [],
                attempt: leg.attempt, applicationId: leg.applicationID, unitCode: leg.unitCode,
                promisedDueAt: application?.promisedDueAt, reason: application?.reason)
        }
        let fields = (try? JSONDecoder().decode([String: String].self, from: Data(bundle.fields.utf8))) ?? [:]
        return BundleApplicationDTO(
            id: id, bundleCode: bundle.bundleCode, state: BundleState.derive(states).rawValue,
            regionCode: bundle.regionCode, submittedAt: bundle.submittedAt, dueAt: bundle.dueAt,
            timeLimitProblem: bundle.timeLimitProblem, fields: fields, legs: rows)
    }
}
