import Foundation

@testable import CityDomain

/// Shanghai's bundled regions, units, categories and calendar, for the case-rule tests; and cases as intake opens
/// them (dispatched, handle clock running).
struct CaseRulesFixture {
    static let shared = CaseRulesFixture()

    let reference: CaseRuleReference
    let taxonomy: CategoryTaxonomy

    private init() {
        let hierarchy = try! RegionHierarchy.shanghai()
        let units = UnitCatalogue.standard(for: hierarchy)
        reference = CaseRuleReference(
            hierarchy: hierarchy, units: Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) }),
            deadlines: TimeFixtures.calculator)
        taxonomy = try! CategoryTaxonomy.bundledDefault()
    }

    /// Fri 2024-09-27 10:00 +08:00, before the National Day holidays (Sun 09-29 is a make-up working day).
    static let friday = TimeFixtures.at("2024-09-27T10:00:00+08:00")

    /// `seconds` after ``friday``.
    static func friday(plus seconds: TimeInterval) -> Date { friday.addingTimeInterval(seconds) }

    /// The category `code`, which must exist.
    func category(_ code: String) -> CityDomain.Category {
        guard let category = taxonomy[code] else { fatalError("no category \(code)") }
        return category
    }

    /// A case of `category` dispatched to `unit` in `region` at `at`, its handle clock started (as intake leaves
    /// it).
    func opened(_ category: String, unit: String, region: String, at: Date = friday) -> CaseRecord {
        var record = CaseRecord(
            workflow: CaseSnapshot(state: .dispatched), regionCode: region, unitCode: unit, createdAt: at)
        record.startStep(category: self.category(category), deadlines: reference.deadlines, now: at)
        return record
    }

    /// `request` applied to `record` of `category` at `at`, by the system unless an actor and role are given.
    func apply(
        _ request: CaseRequest, to record: CaseRecord, category: String, by actor: String = "system",
        role: OperatorRole? = nil, at: Date
    ) throws(CaseRuleError) -> CaseRuleOutcome {
        try CaseRules.apply(
            request, to: record, actor: actor, role: role, category: self.category(category), reference: reference,
            now: at)
    }

    /// The records after each of `requests` in turn, from `record`, each `step` seconds after the last.
    func run(
        _ requests: [CaseRequest], from record: CaseRecord, category: String, start: Date, step: TimeInterval = 60
    ) throws(CaseRuleError) -> CaseRecord {
        var current = record
        for (index, request) in requests.enumerated() {
            current = try apply(
                request, to: current, category: category, at: start.addingTimeInterval(Double(index) * step)
            ).record
        }
        return current
    }
}
