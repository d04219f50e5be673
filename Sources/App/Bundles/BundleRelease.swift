import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Releases waiting legs: when a leg's application is approved, every leg of its bundle whose dependencies are now
/// all approved is submitted — prefilled with the bundle's files, the licence each feeding leg issued attached with
/// the consent given at the start — inside the approval's own transaction
/// (``GovApplications/act(_:on:item:actor:actorUnit:reason:materials:deadlines:gate:now:access:licences:bundles:)``).
/// A crash therefore loses no leg (the approval and the release commit together) and doubles none (a leg is claimed
/// by a conditional UPDATE on its null application id, and leg tokens are unique per attempt).
struct BundleReleaser: Sendable {
    let bundles: BundleCatalogue
    let catalogue: ServiceCatalogue

    /// The bundled definitions and catalogue, or nil when they cannot be read (then nothing is released).
    static let bundled: BundleReleaser? = {
        guard let bundles = try? BundleCatalogue.bundled(), let catalogue = try? ServiceCatalogue.bundled() else {
            return nil
        }
        return BundleReleaser(bundles: bundles, catalogue: catalogue)
    }()

    /// Inside the approval's transaction: releases the legs `approved` (an application just approved) unblocks.
    /// - Returns: the item codes of the legs released (empty when the application is no bundle leg).
    /// - Throws: database errors (the approval then rolls back with them).
    @discardableResult
    func release(after approved: GovApplication, on db: any Database, now: Date) async throws -> [String] {
        guard let id = approved.id,
            let leg = try await GovBundleLeg.query(on: db).filter(\.$applicationID == id).first(),
            let plan = try await lockedPlan(leg.bundleID, on: db),
            let bundle = try await GovBundle.find(leg.bundleID, on: db)
        else { return [] }
        let legs = try await GovBundleLeg.query(on: db).filter(\.$bundleID == leg.bundleID).all()
        let states = try await Self.states(of: legs, on: db)
        let satisfied = Set(legs.filter { states[$0.itemCode]?.isSatisfied == true }.map(\.itemCode))
        let released = Set(legs.filter { $0.applicationID != nil }.map(\.itemCode))
        let consents = (try? JSONDecoder().decode([String].self, from: Data(bundle.consents.utf8))) ?? []
        var done: [String] = []
        for code in plan.ready(satisfied: satisfied, released: released) {
            guard let waiting = legs.first(where: { $0.itemCode == code }), let item = catalogue[code] else { continue }
            waiting.attempt += 1
            let licences = try await Self.licences(
                for: item, plan: plan, legs: legs, consents: consents, citizen: bundle.citizenID, db: db, now: now)
            let uploads = try await Self.uploads(of: bundle, on: db)
            let set = BundleLegRows.application(
                leg: waiting, citizen: bundle.citizenID, item: item, uploads: uploads, licences: licences,
                consentedAt: bundle.submittedAt, actor: "system",
                note: GovSystemNote.bundleReleased(bundle: plan.code, after: leg.itemCode).stored, now: now)
            try await GovSubmissionRows.batch(set).insert(on: db.sql())
            try await Self.claim(waiting, application: set.application.id, now: now, on: db)
            done.append(code)
        }
        return done
    }

    /// Sets the leg's application (inserted just before, in the same transaction: the leg refers to it) if the leg
    /// still has none, or still has `previous`.
    /// - Throws: ``GovApplicationError/concurrentChange`` when another transaction took the leg first (the caller's
    ///   whole transaction then rolls back; with the bundle row locked by ``lock(_:on:)`` this does not happen).
    static func claim(_ leg: GovBundleLeg, application: UUID?, previous: UUID? = nil, now: Date, on db: any Database)
        async throws
    {
        let sql = try db.sql()
        var update = sql.update(GovBundleLeg.schema)
            .set("application_id", to: IntakeRows.b(application)).set("attempt", to: SQLBind(leg.attempt))
            .set("released_at", to: IntakeRows.b(now))
            .where("id", .equal, IntakeRows.b(leg.id))
        if let previous {
            update = update.where("application_id", .equal, SQLBind(previous))
        } else {
            update = update.where(SQLColumn("application_id"), .is, SQLLiteral.null)
        }
        guard try await !update.returning("id").all().isEmpty else { throw GovApplicationError.concurrentChange }
    }

    /// Locks the bundle's row until the transaction ends (a no-op UPDATE: a row lock on PostgreSQL, and SQLite's
    /// writes are one at a time anyway), so that two legs approved at once release the legs they both unblock
    /// exactly once: the second reads the first's approval after it commits.
    static func lock(_ bundle: UUID, on db: any Database) async throws {
        try await db.sql().update(GovBundle.schema).set(SQLIdentifier("bundle_code"), to: SQLIdentifier("bundle_code"))
            .where("id", .equal, SQLBind(bundle)).run()
    }

    /// Locks bundle `id` (``lock(_:on:)``) and returns its plan, or nil for a bundle code no longer defined.
    func lockedPlan(_ id: UUID, on db: any Database) async throws -> BundlePlan? {
        try await Self.lock(id, on: db)
        guard let bundle = try await GovBundle.find(id, on: db) else { return nil }
        return bundles[bundle.bundleCode]
    }

    /// Each leg's state: waiting, or its current application's.
    static func states(of legs: [GovBundleLeg], on db: any Database) async throws -> [String: BundleLegState] {
        let ids = legs.compactMap(\.applicationID)
        let applications = ids.isEmpty ? [] : try await GovApplication.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: applications.compactMap { app in app.id.map { ($0, app) } })
        var states: [String: BundleLegState] = [:]
        for leg in legs {
            states[leg.itemCode] = leg.applicationID.flatMap { byID[$0] }.map { .application($0.state) } ?? .waiting
        }
        return states
    }

    /// The licences to attach to a new application of `item`: per fed material, the licence the feeding leg's
    /// current application issued; per material in `consents`, the citizen's held licence.
    static func licences(
        for item: ServiceItem, plan: BundlePlan, legs: [GovBundleLeg], consents: [String], citizen: UUID,
        db: any Database, now: Date
    ) async throws -> [String: UUID] {
        var result: [String: UUID] = [:]
        let feeds = plan.feeds(into: item.code)
        for feed in feeds {
            guard let source = legs.first(where: { $0.itemCode == feed.from })?.applicationID,
                let licence = try await GovLicence.query(on: db).filter(\.$applicationID == source).first()
            else { continue }
            result[feed.material] = licence.id
        }
        let reusable = consents.filter { code in !feeds.contains { $0.material == code } }
        if !reusable.isEmpty {
            let held = try await LicenceReuse.held(citizen: citizen, item: item, db: db, now: now)
            for code in reusable { if let id = held[code]?.id { result[code] = id } }
        }
        return result
    }

    /// The bundle's files by material code.
    static func uploads(of bundle: GovBundle, on db: any Database) async throws -> [String: GovBundleUpload] {
        let rows = try await GovBundleUpload.query(on: db).filter(\.$bundleID == bundle.requireID()).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.materialCode, $0) })
    }
}
