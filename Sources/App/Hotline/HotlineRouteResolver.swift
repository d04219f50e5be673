import CityDomain
import Foundation
import Hotline

extension HotlineIntake {
    /// The street `route-eval` treats as found (its corpus anonymises places): 北蔡镇, 浦东新区, the street of the
    /// seed's fire-lane story. Every street/town that is not a statistical unit has the same kinds of unit
    /// (``UnitCatalogue``), so the choice of street changes no label.
    static let evaluationStreet = "310115105"

    /// The server's dispatch as `route-eval` scores it: for a triage result that dispatches, the case
    /// ``prepareCase(for:categoryCode:result:actor:located:reference:now:)`` would open at `regionCode`, and the
    /// router label of its unit (``RoutingTable/label(ofUnit:at:)``); nil when the result queues or no case can be
    /// prepared (e.g. the category is missing from the taxonomy in force).
    /// - Parameters:
    ///   - reference: the reference data in force (taxonomy, units, dispatcher).
    ///   - table: the routing table that maps units back to labels.
    ///   - regionCode: the place treated as found; default ``evaluationStreet``.
    static func routeResolver(
        reference: CityReference, table: RoutingTable, regionCode: String = evaluationStreet
    ) -> RouteResolver {
        let now = Date()
        let located = LocatedRegion(regionCode: regionCode, method: .addressText)
        return { text, result in
            guard case .dispatch(let code) = result.decision else { return nil }
            let report = Report()
            report.description = text
            report.source = .hotline
            guard
                let prepared = try? prepareCase(
                    for: report, categoryCode: code, result: result, actor: .system, located: located,
                    reference: reference, now: now)
            else { return nil }
            guard let unit = reference.units[prepared.decision.unitCode],
                let level = reference.hierarchy[unit.regionCode]?.level
            else { return "other" }
            return table.label(ofUnit: unit.kind, at: level)
        }
    }
}
