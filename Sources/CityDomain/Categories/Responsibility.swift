import Foundation

/// Who is responsible for a category's cases: a unit kind at a level, and whether the matter is territorial (属地).
///
/// A territorial matter belongs to the street/town operations centre (街镇城运中心) of the place: the case goes to
/// that centre, which passes it to its own unit of ``kind`` (城管执法中队, 派出所, 房管办, 市容所 …) or keeps it when
/// ``kind`` is ``UnitKind/operationsCentre`` or the street has no such unit. A functional matter goes to the unit of
/// ``kind`` at ``level`` (falling back up the hierarchy). Source: DESIGN.md §1 (属地管理, the seed's dispatch chain).
public struct Responsibility: Codable, Hashable, Sendable {
    /// Kind of unit that acts.
    public var kind: UnitKind
    /// Level at which that unit sits; `.street` for every territorial matter.
    public var level: RegionLevel
    /// Whether the street/town centre of the place is responsible (属地).
    public var territorial: Bool

    /// Creates a responsibility.
    public init(kind: UnitKind, level: RegionLevel, territorial: Bool = false) {
        self.kind = kind
        self.level = level
        self.territorial = territorial
    }
}

/// An alternative to a category's usual responsibility ("usually the street, or this department when …"), kept as
/// data in `categories.json` under `alternatives`.
///
/// The dispatcher takes the first alternative one of whose ``when`` phrases occurs in the case's text; an
/// alternative may also be chosen by a learned router's preferred unit kind (``DispatchPreference``).
public struct ResponsibilityAlternative: Codable, Hashable, Sendable {
    /// Stable identifier within its category, `[a-z0-9_]{1,32}`, e.g. `environment`; recorded as the rule that
    /// chose the unit (`<category>#<id>`).
    public var id: String
    /// Kind of unit that acts under this alternative.
    public var responsibleKind: UnitKind
    /// Level of that unit.
    public var responsibleLevel: RegionLevel
    /// Whether the alternative is territorial (the street/town centre of the place).
    public var territorial: Bool
    /// Phrases (simplified Chinese, as the taxonomy's triggers) that select the alternative when the text contains
    /// one; may be empty (then only a learned preference selects it).
    public var when: [String]

    /// Creates an alternative.
    public init(
        id: String, responsibleKind: UnitKind, responsibleLevel: RegionLevel, territorial: Bool = false,
        when: [String] = []
    ) {
        self.id = id
        self.responsibleKind = responsibleKind
        self.responsibleLevel = responsibleLevel
        self.territorial = territorial
        self.when = when
    }

    private enum CodingKeys: String, CodingKey {
        case id, responsibleKind, responsibleLevel, territorial, when
    }

    /// Decodes an alternative; `territorial` defaults to false and `when` to empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            responsibleKind: try c.decode(UnitKind.self, forKey: .responsibleKind),
            responsibleLevel: try c.decode(RegionLevel.self, forKey: .responsibleLevel),
            territorial: try c.decodeIfPresent(Bool.self, forKey: .territorial) ?? false,
            when: try c.decodeIfPresent([String].self, forKey: .when) ?? [])
    }

    /// The responsibility this alternative names.
    public var responsibility: Responsibility {
        Responsibility(kind: responsibleKind, level: responsibleLevel, territorial: territorial)
    }

    /// Whether an id matches `[a-z0-9_]{1,32}`.
    public static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count)
            && id.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}
