/// The city's reference data the case rules consult: regions, units and the deadline calculator.
public struct CaseRuleReference: Sendable {
    /// The region hierarchy (city → district → street → grid cell).
    public let hierarchy: RegionHierarchy
    /// Units by code.
    public let units: [String: Unit]
    /// Counts time limits on the working-day calendar.
    public let deadlines: DeadlineCalculator

    /// The reference data from its parts.
    public init(hierarchy: RegionHierarchy, units: [String: Unit], deadlines: DeadlineCalculator) {
        self.hierarchy = hierarchy
        self.units = units
        self.deadlines = deadlines
    }

    /// The operations centre (城运中心) of `regionCode`, or of its nearest ancestor that has one.
    public func operationsCentre(for regionCode: String) -> Unit? {
        for region in hierarchy.ancestors(of: regionCode) {
            if let unit = units[Unit.code(regionCode: region.code, kind: .operationsCentre)] { return unit }
        }
        return nil
    }

    /// How many levels a case held by `unitCode` can be escalated: from the level of the unit's region (the case's
    /// region when the unit is unknown) up to the city (street → district → city: 2; a district unit: 1; a city
    /// unit: 0).
    public func maxEscalationLevel(unitCode: String, regionCode: String) -> Int {
        max(0, escalationChain(unitCode: unitCode, regionCode: regionCode).count - 1)
    }

    /// The operations centre that supervises a case held by `unitCode` at escalation `level` (1 = the centre one
    /// level above the unit's region), or nil above the top.
    public func supervisingCentre(unitCode: String, regionCode: String, level: Int) -> Unit? {
        let chain = escalationChain(unitCode: unitCode, regionCode: regionCode)
        guard level >= 0, level < chain.count else { return nil }
        return operationsCentre(for: chain[level].code)
    }

    /// The unit's region and its ancestors, nearest first.
    private func escalationChain(unitCode: String, regionCode: String) -> [Region] {
        hierarchy.ancestors(of: units[unitCode]?.regionCode ?? regionCode)
    }
}
