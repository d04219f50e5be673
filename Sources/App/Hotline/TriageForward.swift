import CityDomain
import Foundation
import Vapor

/// 转办: an operator of an operations centre sends a queued hotline report to another unit (a department) with a
/// reason (issue #12 §3). The body of `POST /api/v1/triage/:id/forward` and the fields of the desk's forward form.
///
/// In the domain a forwarding is a triage categorisation (the case is opened under `category_code`, else under
/// the category triage suggested, and the correction kept as a training example) whose case then goes to the unit
/// named by the rule every reassignment follows (``CaseRules``: the unit must serve the case's region), recorded as
/// a `transfer` event with the operator, the unit and the reason. The unit named counts as the case's first unit
/// (the operator's choice is the first dispatch, not a correction of one).
struct TriageForward: Content {
    /// The most characters a reason may have.
    static let maxReasonLength = 500

    /// A unit code; the console also takes a unit's Chinese or English name.
    var unitCode: String?
    var reason: String?
    var categoryCode: String?

    enum CodingKeys: String, CodingKey {
        case reason
        case unitCode = "unit_code", categoryCode = "category_code"
    }

    /// A checked forwarding: the unit (inside the operator's region) and the trimmed reason.
    struct Target: Sendable {
        let unit: CityDomain.Unit
        let reason: String

        /// Sends the prepared (not yet stored) case `record` to the unit by the reassignment rule, as `actor`, and
        /// marks the unit as its first.
        /// - Returns: the `transfer` event to store after intake's events (its case id set once the case has one).
        /// - Throws: ``TriageProblem/unitNotServing(_:region:)`` when the unit does not serve the case's region;
        ///   ``CaseActionError/rule(_:)`` for any other refusal of the case rules (the actor's role).
        func apply(to record: Case, by actor: CaseActor, reference: CityReference, now: Date) throws -> CaseEvent {
            let before = record.caseRecord
            if record.unitCode != unit.code {
                do {
                    let outcome = try CaseRules.apply(
                        CaseRequest(.reassign, note: reason, unitCode: unit.code), to: before, actor: actor.name,
                        role: actor.role, actorUnitCode: actor.unitCode,
                        category: reference.taxonomy[record.categoryCode], reference: reference.caseRules, now: now)
                    record.caseRecord = outcome.record
                } catch .unitOutsideRegion(let unit, let region) {
                    throw TriageProblem.unitNotServing(unit, region: region)
                } catch {
                    throw CaseActionError.rule(error)
                }
            }
            record.firstUnitCode = unit.code
            return CaseEvent(
                caseID: 0, at: now, action: .transfer, from: before.state, to: record.state, actor: actor.name,
                actorUnitCode: actor.unitCode, unitCode: unit.code, note: reason)
        }
    }

    /// The checked unit and reason, as `scope` may forward.
    /// - Throws: ``TriageProblem``: reason missing or over 500 characters (400), unit missing or unknown (400),
    ///   a unit outside the operator's region (403).
    func target(scope: OperatorScope, reference: CityReference) throws(TriageProblem) -> Target {
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .reasonMissing }
        let length = TextRules.length(reason)
        guard length <= Self.maxReasonLength else { throw .reasonTooLong(length) }
        let named = (unitCode ?? "").trimmingCharacters(in: .whitespaces)
        guard !named.isEmpty else { throw .unitMissing }
        guard
            let unit = reference.units[named]
                ?? Self.unit(named: named, among: reference.units.values, scope: scope, reference: reference)
        else { throw .unknownUnit(named) }
        guard reference.hierarchy.isWithin(unit.regionCode, ancestor: scope.regionCode) else {
            throw .unitOutsideScope(unit.code, region: scope.regionCode)
        }
        return Target(unit: unit, reason: reason)
    }

    /// The one unit called `name` (in Chinese or English), preferring those inside the operator's region.
    private static func unit(
        named name: String, among units: Dictionary<String, CityDomain.Unit>.Values, scope: OperatorScope,
        reference: CityReference
    ) -> CityDomain.Unit? {
        let matches = units.filter { $0.nameZh == name || $0.nameEn == name }
        let inside = matches.filter { reference.hierarchy.isWithin($0.regionCode, ancestor: scope.regionCode) }
        if inside.count == 1 { return inside[0] }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Forwards queued hotline report `id` as the operator of `scope` (see the type's description).
    /// - Returns: the report as decided.
    /// - Throws: ``TriageProblem`` for the form (400/403), then 404 when the report is not a hotline report in
    ///   `scope`, 409 when it is no longer queued, 400 for an unknown category or none to use, the case rules'
    ///   refusal when the unit does not serve the report's region.
    func apply(toReport id: Int, by scope: OperatorScope, context: HotlineContext) async throws -> Report {
        let target = try target(scope: scope, reference: context.reference)
        let report = try await TriageDecision.queuedReport(id, scope: scope, context: context)
        guard let code = categoryCode.nonBlank ?? report.triageCategory else { throw TriageProblem.categoryMissing }
        try await TriageDecision.categorise(
            report, as: code, regionCode: nil, note: nil, by: scope, context: context, forward: target)
        return report
    }
}
