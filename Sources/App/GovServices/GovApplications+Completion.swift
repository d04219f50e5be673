import CityDomain
import Fluent
import Vapor

extension GovApplications {
    /// The citizen's answer to a 补正 request: checks the new materials (``GovSubmission/materials(_:for:round:requireAll:now:)``
    /// as the next round; at least one), then takes ``ApplicationAction/complete`` with them in one transaction.
    /// Shared by the JSON API and the citizen's pages.
    /// - Parameters: `note` is the citizen's optional note; `access` the data-access log entry written with it.
    /// - Throws: ``GovApplicationError`` (`rule` when the application waits for no completion, `missingMaterials`
    ///   for none, the upload's own problems), nothing written.
    static func complete(
        _ application: GovApplication, item: ServiceItem, materials inputs: [MaterialInput], note: String?,
        deadlines: DeadlineCalculator, gate: WriteGate, db: any Database, now: Date, access: GovAccessEntry?
    ) async throws {
        guard application.state == .returnedForCompletion else {
            throw GovApplicationError.rule(.illegal(action: .complete, state: application.state))
        }
        guard !inputs.isEmpty else { throw GovApplicationError.missingMaterials(["(any)"]) }
        let id = try application.requireID()
        let round = try await nextRound(of: id, on: db)
        let rows = try GovSubmission.materials(inputs, for: item, round: round, requireAll: false, now: now)
        for row in rows { row.applicationID = id }
        try await act(
            .complete, on: application, item: item, actor: "citizen", actorUnit: nil, reason: note, materials: rows,
            deadlines: deadlines, gate: gate, now: now, access: access)
    }
}
