import CityDomain
import Fluent
import Foundation

/// A case as one operator reads it: its reports, its audit trail with the photos of each step, and the actions
/// the state and the operator's role leave open.
struct CaseDetail {
    var record: Case
    /// Oldest first.
    var reports: [Report]
    /// The audit trail, oldest first.
    var events: [CaseEvent]
    /// Photo metadata by the id of the event they came with.
    var photos: [Int: [CasePhotoDTO]]
    /// What the reading operator may do next.
    var allowedActions: [CaseAction]
}

extension CaseQueries {
    /// Everything the case page and `GET /api/v1/cases/:id` show of `record`, for the operator of `scope`.
    ///
    /// The actions offered are ``CaseWorkflow/allowedActions(in:role:maxEscalationLevel:)`` for the operator's
    /// role, less `verify` and `fail_verification` for whoever resolved the case (someone else verifies, as
    /// CJ/T 315-2009's 核查 step asks; ``CaseActions`` refuses it too), and less `dispatch_down` and `return_up`
    /// unless the operator's street/town centre holds the case.
    /// - Parameters: `record`, a case `scope` may see (``visible(_:scope:reference:on:)``); the reference data for
    ///   the escalation ceiling; the database.
    /// - Throws: database errors.
    static func detail(
        of record: Case, scope: OperatorScope, reference: CityReference, on db: any Database
    ) async throws -> CaseDetail {
        let id = try record.requireID()
        let reports = try await Report.query(on: db).filter(\.$caseID == id).sort(\.$id).all()
        let events = try await CaseEvent.query(on: db).filter(\.$caseID == id).sort(\.$id).all()
        let photos = try await photosByEvent(caseID: id, on: db)
        let maxLevel = CaseActions.maxEscalationLevel(for: record, reference: reference)
        var allowed = CaseWorkflow.allowedActions(in: record.snapshot, role: scope.role, maxEscalationLevel: maxLevel)
        // Whoever resolved the case may not verify it (CaseActions refuses it), so it is not offered either.
        if events.last(where: { $0.action == .workflow(.resolve) })?.actor == scope.username {
            allowed.removeAll { $0 == .verify || $0 == .failVerification }
        }
        // 下派 and 上退 only for the street/town centre holding the case (CaseRules refuses them otherwise).
        if !CaseRules.streetActionsOpen(
            on: record.caseRecord, role: scope.role, actorUnitCode: scope.unitCode, reference: reference.caseRules)
        {
            allowed.removeAll { $0 == .dispatchDown || $0 == .returnUp }
        }
        return CaseDetail(record: record, reports: reports, events: events, photos: photos, allowedActions: allowed)
    }

    /// The audit trail of case `caseID`, oldest first, each step with the photos sent with it.
    /// - Throws: database errors.
    static func events(caseID: Int, on db: any Database) async throws -> [CaseEventDTO] {
        let photos = try await photosByEvent(caseID: caseID, on: db)
        return try await CaseEvent.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all()
            .map { CaseEventDTO($0, photos: photos[$0.id ?? 0] ?? []) }
    }

    /// Photo metadata (never the bytes) of case `caseID`, keyed by the event they came with, oldest first.
    /// - Throws: database errors.
    static func photosByEvent(caseID: Int, on db: any Database) async throws -> [Int: [CasePhotoDTO]] {
        let rows = try await CasePhoto.query(on: db).filter(\.$caseID == caseID)
            .field(\.$id).field(\.$eventID).field(\.$position).field(\.$contentType).field(\.$byteCount)
            .field(\.$sha256).field(\.$uploadedBy)
            .sort(\.$eventID).sort(\.$position).all()
        return try Dictionary(grouping: rows, by: \.eventID).mapValues { photos in
            try photos.map {
                CasePhotoDTO(
                    caseID: caseID, id: try $0.requireID(), contentType: $0.contentType,
                    byteCount: $0.byteCount, sha256: $0.sha256, uploadedBy: $0.uploadedBy)
            }
        }
    }

    /// Photo `photoID` with its bytes if it belongs to case `caseID`; nil otherwise (another case's photo is
    /// answered like a missing one).
    /// - Throws: database errors.
    static func photo(_ photoID: UUID, caseID: Int, on db: any Database) async throws -> CasePhoto? {
        guard let photo = try await CasePhoto.find(photoID, on: db), photo.caseID == caseID else { return nil }
        return photo
    }

    /// Usernames of the enabled grid workers of `unitCode`, sorted: whom an `assign` may send.
    /// - Throws: database errors.
    static func gridWorkers(of unitCode: String, on db: any Database) async throws -> [String] {
        try await Operator.query(on: db).filter(\.$unitCode == unitCode)
            .filter(\.$role == .gridWorker).filter(\.$disabled == false)
            .sort(\.$username).all().map(\.username)
    }
}
