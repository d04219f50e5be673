import CityDomain
import Fluent
import Foundation
import Hotline

/// Operators' routing decisions kept as training examples for the unit-kind router (CityNet issue 10 §2): a
/// centre's reassignment says which kind of unit really acts on the case; a return with a reason says the automatic
/// choice was wrong. `citynet hotline train --router --corrections` reads them (``TrainingExample/unitKind``).
enum RoutingExamples {
    /// The bundled routing table, read once.
    static let table = try? RoutingTable.bundledDefault()

    /// The router label of a unit of kind `kind` at `level` in `table` — the one mapping route-eval scores with
    /// (``RoutingTable/label(ofUnit:at:)``) — or nil when that is `other` (an operations centre above the street,
    /// a kind outside the vocabulary: such a decision teaches no kind).
    static func label(of kind: UnitKind, level: RegionLevel?, in table: RoutingTable) -> String? {
        let label = table.label(ofUnit: kind, at: level ?? .district)
        return label == "other" ? nil : label
    }

    /// The router label of a triage decision: the kind of the unit the case was dispatched to, else the routing
    /// table's default label for `category`, else nil.
    static func label(forDispatchTo unitCode: String, category: String, reference: CityReference) -> String? {
        guard let table else { return nil }
        if let unit = reference.units[unitCode],
            let label = label(of: unit.kind, level: reference.hierarchy[unit.regionCode]?.level, in: table)
        {
            return label
        }
        return table.categoryLabels[category]
    }

    /// The example an action on a case teaches, or nil when it teaches nothing.
    ///
    /// - `reassign` by a centre, or `dispatch_down` (下派) by a street/town centre: the new unit's kind as router
    ///   label (source `reassign` or `dispatch_down`);
    /// - `return` with a note, or `return_up` (上退) by a street/town centre: `other` — the kind chosen automatically
    ///   was wrong and a person must route it (source `return` or `return_up`); the reassignment that usually
    ///   follows gives the right kind.
    /// - Parameters:
    ///   - action: the action performed.
    ///   - unitCode: the unit holding the case after the action.
    ///   - reference: units and regions in force.
    ///   - table: the routing table.
    static func label(
        for action: CaseAction, unitCode: String, reference: CityReference, table: RoutingTable
    ) -> (label: String, source: String)? {
        switch action {
        case .reassign, .dispatchDown:
            guard let unit = reference.units[unitCode] else { return nil }
            let level = reference.hierarchy[unit.regionCode]?.level
            return label(of: unit.kind, level: level, in: table).map { ($0, action.rawValue) }
        case .return, .returnUp:
            return ("other", action.rawValue)
        default:
            return nil
        }
    }

    /// Stores the example an action on case `record` teaches (see ``label(for:unitCode:reference:table:)``), with
    /// the text of the case's first report; nothing when the action teaches nothing or the case has no report.
    /// - Parameter db: the action's own transaction, so the example commits with the action or not at all.
    static func record(
        _ action: CaseAction, on record: Case, by actor: String, reference: CityReference, on db: any Database,
        now: Date
    ) async throws {
        guard let table,
            let taught = label(for: action, unitCode: record.unitCode, reference: reference, table: table),
            let caseID = record.id,
            let report = try await Report.query(on: db).filter(\.$caseID == caseID).sort(\.$id).first(),
            let reportID = report.id
        else { return }
        let example = TrainingExample()
        example.createdAt = now
        example.text = report.description ?? record.description ?? ""
        example.categoryCode = record.categoryCode
        example.reportID = reportID
        example.actor = actor
        example.unitKind = taught.label
        example.source = taught.source
        try await example.create(on: db)
    }
}
