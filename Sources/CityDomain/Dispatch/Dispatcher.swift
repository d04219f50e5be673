import Foundation

/// Chooses the responsible unit for a case from its category, located region, text and any learned preference, and
/// lays out the automatic chain of operations centres it passes through.
///
/// Rules (CityNet dispatch issues; 分级派遣 and 属地管理 of 一网统管, DESIGN.md §1):
/// - the responsibility comes from ``ResponsibilityRules`` (the category's rule, an alternative selected by a
///   phrase, or a learned preference: one the category allows, or any kind for a category neither urgent nor fixed-units);
/// - **functional** responsibility: go from the located region up to the ancestor at the responsible level (or start
///   at the located region when it is shallower); take the unit of the kind there; else the nearest one further up;
///   else the operations centre of the located region or its nearest ancestor that has one;
/// - **territorial** responsibility: the street/town centre of the place; it passes the case to its own unit of the
///   kind when the street has one (and the kind is not the centre itself), else keeps it; a place known only to a
///   district (or the city) stays with that level's centre;
/// - **chain**: from the receiving centre (the city centre unless given) down the centres of the place — to the
///   street centre for territorial matters, to the district centre otherwise (a specialised department is reached
///   from the district) — and then to the unit. Each hop records its rule and reason.
///
/// Units are indexed by (region, kind) once, so a decision costs a few dictionary look-ups.
public struct Dispatcher: Sendable {
    private struct Key: Hashable, Sendable {
        let region: String
        let kind: UnitKind
    }

    /// The hierarchy regions are resolved in.
    public let hierarchy: RegionHierarchy
    private let unitsByKey: [Key: Unit]
    private let unitsByCode: [String: Unit]

    /// Indexes the units by (region code, kind); with several units for one pair the first wins.
    public init(hierarchy: RegionHierarchy, units: [Unit]) {
        self.hierarchy = hierarchy
        var index: [Key: Unit] = [:]
        var codes: [String: Unit] = [:]
        for unit in units where index[Key(region: unit.regionCode, kind: unit.kind)] == nil {
            index[Key(region: unit.regionCode, kind: unit.kind)] = unit
            codes[unit.code] = unit
        }
        unitsByKey = index
        unitsByCode = codes
    }

    /// The unit of `kind` at `regionCode`, if any.
    public func unit(at regionCode: String, kind: UnitKind) -> Unit? { unitsByKey[Key(region: regionCode, kind: kind)] }

    /// Chooses the unit for a case and the chain that takes it there.
    /// - Parameters:
    ///   - category: a dispatchable category (responsible kind, level and limits set).
    ///   - regionCode: the located region (``LocatedRegion/regionCode``).
    ///   - text: the case's text normalised as the taxonomy's phrases are written (see ``ResponsibilityRules``);
    ///     nil when there is none.
    ///   - preference: a learned router's preferred kind (``ResponsibilityRules`` says when it is used).
    ///   - receivedBy: code of the operations centre that received the case; the chain starts there when it is one
    ///     of the place's centres, else at the top (the city centre, 12345).
    /// - Returns: the unit, the rule that found it, what chose the responsibility, reasons in Chinese and English,
    ///   fallbacks, and the hops of the chain.
    /// - Throws: ``DispatchError/notDispatchable(categoryCode:)``, ``DispatchError/unknownRegion(_:)``, or
    ///   ``DispatchError/noUnit(regionCode:kind:)`` when not even an operations centre exists.
    public func dispatch(
        category: Category, regionCode: String, text: String? = nil, preference: DispatchPreference? = nil,
        receivedBy: String? = nil
    ) throws -> DispatchDecision {
        guard category.dispatchable,
            let choice = ResponsibilityRules.choose(category, text: text, preference: preference)
        else { throw DispatchError.notDispatchable(categoryCode: category.code) }
        let chain = hierarchy.ancestors(of: regionCode)
        guard let located = chain.first else { throw DispatchError.unknownRegion(regionCode) }
        let responsibility = choice.responsibility
        let learned: Bool
        switch choice.basis {
        case .learned, .learnedOutside: learned = true
        case .category, .phrase: learned = false
        }
        var decision =
            try territorial(category, responsibility, chain: chain, learned: learned)
            ?? functional(category, responsibility, chain: chain, learned: learned)
        decision.basis = choice.basis
        if choice.basis != .category(code: category.code) {
            decision.reasonZh = choice.basis.describeZh(category) + "：" + decision.reasonZh
            decision.reasonEn =
                choice.basis.describeEn(category).prefix(1).uppercased()
                + choice.basis.describeEn(category).dropFirst() + ": " + decision.reasonEn
        }
        if let unused = choice.unusedPreference {
            decision.reasonZh += "（学习信号 \(unused.source)：\(unused.kind.nameZh) 未采用：紧急或限定单位的类别只派给所列单位，或已有文本规则）"
            decision.reasonEn +=
                " (learned signal \(unused.source): \(unused.kind.nameEn) not used: an urgent or fixed-units category goes only to its listed units, or a phrase rule decided)"
        }
        decision.hops = hops(
            to: decision, category: category, territorial: responsibility.territorial, chain: chain,
            located: located, receivedBy: receivedBy)
        return decision
    }

    /// The territorial decision, or nil when the responsibility is functional.
    private func territorial(
        _ category: Category, _ responsibility: Responsibility, chain: [Region], learned: Bool
    ) throws -> DispatchDecision? {
        guard responsibility.territorial else { return nil }
        let located = chain[0]
        let text = DispatchReason(
            category: category, located: located, kind: responsibility.kind, level: responsibility.level,
            learned: learned)
        let centres = chain.compactMap { unit(at: $0.code, kind: .operationsCentre) }
        guard let street = chain.first(where: { $0.level == .street }) else {
            guard let centre = centres.first else { return nil }  // no centre at all: try the functional rule
            let reason = text.territorialUnlocated(centre)
            return DispatchDecision(
                unitCode: centre.code, rule: DispatchRule.territorialUnlocated.rawValue, reasonZh: reason.zh,
                reasonEn: reason.en, fallbacks: centres.dropFirst().map(\.code), basis: .category(code: category.code))
        }
        guard let streetCentre = unit(at: street.code, kind: .operationsCentre) else { return nil }
        let above = centres.filter { $0.code != streetCentre.code }.map(\.code)
        if responsibility.kind != .operationsCentre, let acting = unit(at: street.code, kind: responsibility.kind) {
            let reason = text.territorialUnit(acting, centre: streetCentre)
            return DispatchDecision(
                unitCode: acting.code, rule: DispatchRule.territorialUnit.rawValue, reasonZh: reason.zh,
                reasonEn: reason.en, fallbacks: [streetCentre.code] + above, basis: .category(code: category.code))
        }
        let reason = text.territorialCentre(streetCentre, kindMissing: responsibility.kind != .operationsCentre)
        return DispatchDecision(
            unitCode: streetCentre.code, rule: DispatchRule.territorialCentre.rawValue, reasonZh: reason.zh,
            reasonEn: reason.en, fallbacks: above, basis: .category(code: category.code))
    }

    /// The functional decision: the unit of the kind at the level, falling back up, else the nearest centre.
    private func functional(
        _ category: Category, _ responsibility: Responsibility, chain: [Region], learned: Bool
    ) throws -> DispatchDecision {
        let kind = responsibility.kind
        let located = chain[0]
        let level = responsibility.level
        let start = chain.firstIndex { $0.level <= level } ?? 0
        let path = chain[start...]
        let found = path.lazy.compactMap { region in self.unit(at: region.code, kind: kind).map { (region, $0) } }.first
        let centres = chain.compactMap { unit(at: $0.code, kind: .operationsCentre) }
        let text = DispatchReason(category: category, located: located, kind: kind, level: level, learned: learned)
        if let (region, unit) = found {
            let above = path.drop { $0.code != region.code }.dropFirst().compactMap {
                self.unit(at: $0.code, kind: kind)?.code
            }
            let extra = centres.first.map { [$0.code] } ?? []
            let skipped = Array(path.prefix { $0.code != region.code })
            let rule: DispatchRule = skipped.isEmpty ? .kindAtLevel : .fallbackUp
            let reason = rule == .kindAtLevel ? text.atLevel(unit) : text.fallbackUp(unit, skipped: skipped)
            return DispatchDecision(
                unitCode: unit.code, rule: rule.rawValue, reasonZh: reason.zh, reasonEn: reason.en,
                fallbacks: above + extra.filter { !above.contains($0) }, basis: .category(code: category.code))
        }
        guard let centre = centres.first else {
            throw DispatchError.noUnit(regionCode: located.code, kind: kind)
        }
        let reason = text.operationsCentre(centre)
        return DispatchDecision(
            unitCode: centre.code, rule: DispatchRule.operationsCentre.rawValue, reasonZh: reason.zh,
            reasonEn: reason.en, fallbacks: Array(centres.dropFirst().map(\.code)),
            basis: .category(code: category.code))
    }

    /// The hops from the receiving centre down to the decision's unit.
    private func hops(
        to decision: DispatchDecision, category: Category, territorial: Bool, chain: [Region], located: Region,
        receivedBy: String?
    ) -> [DispatchHop] {
        guard let target = unitsByCode[decision.unitCode] else { return [] }
        let targetDepth = hierarchy[target.regionCode]?.level.depth ?? 0
        // Territorial matters pass every centre down to the street; a department is reached from the district.
        let deepest =
            target.kind == .operationsCentre || territorial
            ? targetDepth : min(targetDepth, RegionLevel.district.depth)
        var centres = chain.reversed().filter { $0.level.depth <= deepest }.compactMap { region in
            unit(at: region.code, kind: .operationsCentre).map { (region, $0) }
        }
        if let receivedBy, let start = centres.firstIndex(where: { $0.1.code == receivedBy }) {
            centres.removeFirst(start)
        }
        var result: [DispatchHop] = []
        for (from, to) in zip(centres, centres.dropFirst()) {
            let text = DispatchReason(category: category, located: located, kind: target.kind, level: to.0.level)
            let isStreet = territorial && to.0.level == .street
            let reason = isStreet ? text.hopTerritorial(from: from.1, to: to.1) : text.hopDown(from: from.1, to: to.1)
            result.append(
                DispatchHop(
                    fromUnitCode: from.1.code, toUnitCode: to.1.code,
                    rule: (isStreet ? DispatchHopRule.territorial : .placeDistrict).rawValue,
                    reasonZh: reason.zh, reasonEn: reason.en))
        }
        if let last = centres.last, last.1.code != target.code {
            result.append(
                DispatchHop(
                    fromUnitCode: last.1.code, toUnitCode: target.code, rule: decision.rule,
                    reasonZh: decision.reasonZh, reasonEn: decision.reasonEn))
        }
        return result
    }
}
