import Foundation

/// Chooses the responsible unit for a case from its category and located region.
///
/// Rule (CityNet dispatch issue; 分级派遣 of 一网统管): go from the located region up to the ancestor at the
/// category's responsible level (or start at the located region when it is shallower than that level); take the
/// unit of the responsible kind there; if there is none, the nearest one further up (street → district → city);
/// if none exists at all, the operations centre of the located region or of its nearest ancestor that has one.
/// Units are indexed by (region, kind) once, so a decision costs a few dictionary look-ups.
public struct Dispatcher: Sendable {
    private struct Key: Hashable, Sendable {
        let region: String
        let kind: UnitKind
    }

    /// The hierarchy regions are resolved in.
    public let hierarchy: RegionHierarchy
    private let unitsByKey: [Key: Unit]

    /// Indexes the units by (region code, kind); with several units for one pair the first wins.
    public init(hierarchy: RegionHierarchy, units: [Unit]) {
        self.hierarchy = hierarchy
        var index: [Key: Unit] = [:]
        for unit in units where index[Key(region: unit.regionCode, kind: unit.kind)] == nil {
            index[Key(region: unit.regionCode, kind: unit.kind)] = unit
        }
        unitsByKey = index
    }

    /// The unit of `kind` at `regionCode`, if any.
    public func unit(at regionCode: String, kind: UnitKind) -> Unit? { unitsByKey[Key(region: regionCode, kind: kind)] }

    /// Chooses the unit for a case.
    /// - Parameters:
    ///   - category: a dispatchable category (responsible kind, level and limits set).
    ///   - regionCode: the located region (``LocatedRegion/regionCode``).
    /// - Returns: the unit, the rule that chose it, reasons in Chinese and English, and fallbacks.
    /// - Throws: ``DispatchError/notDispatchable(categoryCode:)``, ``DispatchError/unknownRegion(_:)``, or
    ///   ``DispatchError/noUnit(regionCode:kind:)`` when not even an operations centre exists.
    public func dispatch(category: Category, regionCode: String) throws -> DispatchDecision {
        guard category.dispatchable, let kind = category.responsibleKind else {
            throw DispatchError.notDispatchable(categoryCode: category.code)
        }
        let chain = hierarchy.ancestors(of: regionCode)
        guard let located = chain.first else { throw DispatchError.unknownRegion(regionCode) }
        let level = category.responsibleLevel ?? located.level
        let start = chain.firstIndex { $0.level <= level } ?? 0
        let path = chain[start...]
        let found = path.lazy.compactMap { region in self.unit(at: region.code, kind: kind).map { (region, $0) } }.first
        let centres = chain.compactMap { unit(at: $0.code, kind: .operationsCentre) }
        if let (region, unit) = found {
            let above = path.drop { $0.code != region.code }.dropFirst().compactMap {
                self.unit(at: $0.code, kind: kind)?.code
            }
            let extra = centres.first.map { [$0.code] } ?? []
            let skipped = Array(path.prefix { $0.code != region.code })
            let text = DispatchReason(category: category, located: located, kind: kind, level: level)
            let rule: DispatchRule = skipped.isEmpty ? .kindAtLevel : .fallbackUp
            let reason = rule == .kindAtLevel ? text.atLevel(unit) : text.fallbackUp(unit, skipped: skipped)
            return DispatchDecision(
                unitCode: unit.code, rule: rule.rawValue, reasonZh: reason.zh, reasonEn: reason.en,
                fallbacks: above + extra.filter { !above.contains($0) })
        }
        guard let centre = centres.first else { throw DispatchError.noUnit(regionCode: regionCode, kind: kind) }
        let reason = DispatchReason(category: category, located: located, kind: kind, level: level).operationsCentre(
            centre)
        return DispatchDecision(
            unitCode: centre.code, rule: DispatchRule.operationsCentre.rawValue, reasonZh: reason.zh,
            reasonEn: reason.en,
            fallbacks: Array(centres.dropFirst().map(\.code)))
    }
}
