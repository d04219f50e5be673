import Foundation

/// A case category (案件类别): what the problem is, who handles it, how urgent it is and how long each step may take.
///
/// Categories form a tree kept as data (`Resources/categories/categories.json`): grouping nodes such as `noise`
/// carry no unit or limits; leaves such as `noise.construction` are dispatchable.
public struct Category: Codable, Hashable, Sendable, Identifiable {
    /// Stable code, `[a-z0-9_.]{1,64}`, dotted from its parent: `noise.construction`, `parking.fire_lane`.
    public var code: String
    /// Chinese name shown to dispatchers, e.g. 建筑施工噪声.
    public var nameZh: String
    /// English name, e.g. "Construction site noise".
    public var nameEn: String
    /// Code of the grouping node above, `nil` at the top.
    public var parentCode: String?
    /// Kind of unit that handles such cases; `nil` on pure grouping nodes.
    public var responsibleKind: UnitKind?
    /// Level at which that unit sits (派出所 at street level, 交警支队 at district level); `nil` on grouping nodes.
    public var responsibleLevel: RegionLevel?
    /// Default priority of new cases.
    public var priority: CasePriority
    /// Which clock minute and hour limits run on: `.continuous` for safety and emergencies.
    public var clock: HourClock
    /// Step limits; `nil` on grouping nodes.
    public var limits: StepLimits?
    /// Chinese phrases that suggest this category, for the hotline's category rules; may be empty. `…` stands for a
    /// short gap (`狗…叫` matches 狗一到晚上就叫).
    public var triggers: [String]
    /// Chinese phrases that rule this category out even when a trigger matches; may be empty.
    public var exclusions: [String]
    /// Whether the matter is territorial (属地): the street/town centre of the place is responsible and passes the
    /// case to its own unit of ``responsibleKind`` (``Responsibility``). Requires `responsibleLevel == .street`.
    public var territorial: Bool
    /// Alternatives to the usual responsibility, chosen by phrases in the text or a learned preference, in order.
    public var alternatives: [ResponsibilityAlternative]
    /// Whether only the units listed here (usual and alternatives) may take its cases: a learned router's other kind
    /// is never used (safety matters whose crews must be the ones sent). Urgent categories are always treated so
    /// (``ResponsibilityRules``).
    public var fixedUnits: Bool

    /// The category code, for `Identifiable`.
    public var id: String { code }

    /// Whether cases can be dispatched under this category: it names a responsible kind and has limits.
    public var dispatchable: Bool { responsibleKind != nil && limits != nil }

    /// Creates a category. Defaults suit a grouping node.
    public init(
        code: String, nameZh: String, nameEn: String, parentCode: String? = nil, responsibleKind: UnitKind? = nil,
        responsibleLevel: RegionLevel? = nil, priority: CasePriority = .normal, clock: HourClock = .officeHours,
        limits: StepLimits? = nil, triggers: [String] = [], exclusions: [String] = [], territorial: Bool = false,
        alternatives: [ResponsibilityAlternative] = [], fixedUnits: Bool = false
    ) {
        self.fixedUnits = fixedUnits
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.parentCode = parentCode
        self.responsibleKind = responsibleKind
        self.responsibleLevel = responsibleLevel
        self.priority = priority
        self.clock = clock
        self.limits = limits
        self.triggers = triggers
        self.exclusions = exclusions
        self.territorial = territorial
        self.alternatives = alternatives
    }

    /// The usual responsibility (kind, level, territorial); nil on grouping nodes.
    public var responsibility: Responsibility? {
        guard let kind = responsibleKind, let level = responsibleLevel else { return nil }
        return Responsibility(kind: kind, level: level, territorial: territorial)
    }

    /// The unit kinds a case of this category may go to: the usual kind, each alternative's kind, and the
    /// operations centre when any option is territorial (the street/town centre may keep the case). A learned
    /// router's preferred kind outside these is used only for a category that is neither urgent nor
    /// ``fixedUnits`` (``ResponsibilityRules``).
    public var allowedKinds: [UnitKind] {
        var kinds: [UnitKind] = []
        for kind in [responsibleKind].compactMap({ $0 }) + alternatives.map(\.responsibleKind)
        where !kinds.contains(kind) {
            kinds.append(kind)
        }
        if territorial || alternatives.contains(where: \.territorial), !kinds.contains(.operationsCentre) {
            kinds.append(.operationsCentre)
        }
        return kinds
    }

    private enum CodingKeys: String, CodingKey {
        case code, nameZh, nameEn, parentCode, responsibleKind, responsibleLevel, priority, clock, limits, triggers,
            exclusions, territorial, alternatives, fixedUnits
    }

    /// Decodes a category; `priority` defaults to `normal`, `clock` to `office_hours`, `triggers` and
    /// `exclusions` to empty, `territorial` to false and `alternatives` to empty, so grouping nodes stay short in
    /// JSON.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try c.decode(String.self, forKey: .code),
            nameZh: try c.decode(String.self, forKey: .nameZh),
            nameEn: try c.decode(String.self, forKey: .nameEn),
            parentCode: try c.decodeIfPresent(String.self, forKey: .parentCode),
            responsibleKind: try c.decodeIfPresent(UnitKind.self, forKey: .responsibleKind),
            responsibleLevel: try c.decodeIfPresent(RegionLevel.self, forKey: .responsibleLevel),
            priority: try c.decodeIfPresent(CasePriority.self, forKey: .priority) ?? .normal,
            clock: try c.decodeIfPresent(HourClock.self, forKey: .clock) ?? .officeHours,
            limits: try c.decodeIfPresent(StepLimits.self, forKey: .limits),
            triggers: try c.decodeIfPresent([String].self, forKey: .triggers) ?? [],
            exclusions: try c.decodeIfPresent([String].self, forKey: .exclusions) ?? [],
            territorial: try c.decodeIfPresent(Bool.self, forKey: .territorial) ?? false,
            alternatives: try c.decodeIfPresent([ResponsibilityAlternative].self, forKey: .alternatives) ?? [],
            fixedUnits: try c.decodeIfPresent(Bool.self, forKey: .fixedUnits) ?? false)
    }
}
