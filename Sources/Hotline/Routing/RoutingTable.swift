import CityDomain
import Foundation

/// The routing vocabulary and its data (`Resources/routing.json`, CityNet issue 10 §2–§3): which CityNet unit kind
/// each router label means, which label the taxonomy rules suggest for each fine category, and each noise
/// category's scenario.
///
/// Router labels (one vocabulary for training labels, suggestions and evaluation): `chengguan, police,
/// traffic_police, environment, housing, street_office, market_regulation, transport, water, greening_sanitation,
/// culture_tourism, education, health, other`. `other` maps to no unit kind: a person routes it.
public struct RoutingTable: Sendable, Equatable, Decodable {
    /// Where a router label is dispatched in CityNet.
    public struct Target: Sendable, Equatable, Decodable {
        /// CityNet's unit kind (`street_office` → `operations_centre` at street level).
        public var unitKind: UnitKind
        /// The region level the unit works at.
        public var level: RegionLevel

        /// Creates a target.
        public init(unitKind: UnitKind, level: RegionLevel) {
            self.unitKind = unitKind
            self.level = level
        }

        enum CodingKeys: String, CodingKey {
            case unitKind = "unit_kind"
            case level
        }
    }

    /// The router labels, in the order.
    public static let labels = [
        "chengguan", "police", "traffic_police", "environment", "housing", "street_office", "market_regulation",
        "transport", "water", "greening_sanitation", "culture_tourism", "education", "health", "other",
    ]
    /// The noise scenarios of the evaluation vocabulary.
    public static let noiseScenarios = [
        "construction_site", "renovation", "entertainment_venue", "commercial", "traffic_vehicles", "industrial",
        "pets", "neighbours_daily_life", "public_facilities", "other",
    ]

    /// Router label → CityNet target; `other` (and any label mapped to `null`) has none.
    public var targets: [String: Target]
    /// Leaf category code → the router label the rules suggest for it.
    public var categoryLabels: [String: String]
    /// Noise leaf category code → scenario (``noiseScenarios``).
    public var noiseScenarioByCategory: [String: String]
    /// The category a message is dispatched under when no rule dispatches it and the router is sure (a general
    /// request whose alternatives name every kind the router can choose); nil: the router never dispatches alone.
    public var routerCategory: String?
    /// Unit kind → router label for a unit at street level that belongs to the street/town (its operations centre,
    /// urban-management squadron, housing office, city-appearance office): the street handled it.
    public var streetUnitLabels: [String: String]
    /// Unit kind → router label for kinds that no label targets (road maintenance → `chengguan`, fire and the
    /// government-service departments → `other`), and `operations_centre` above the street (a centre that keeps a
    /// case is not an acting unit).
    public var unitLabels: [String: String]

    enum CodingKeys: String, CodingKey {
        case targets = "unit_kinds"
        case categoryLabels = "category_labels"
        case noiseScenarioByCategory = "noise_scenarios"
        case routerCategory = "router_category"
        case streetUnitLabels = "street_unit_labels"
        case unitLabels = "unit_labels"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode([String: Target?].self, forKey: .targets)
        targets = raw.compactMapValues { $0 }
        categoryLabels = try c.decode([String: String].self, forKey: .categoryLabels)
        noiseScenarioByCategory = try c.decode([String: String].self, forKey: .noiseScenarioByCategory)
        routerCategory = try c.decodeIfPresent(String.self, forKey: .routerCategory)
        streetUnitLabels = try c.decodeIfPresent([String: String].self, forKey: .streetUnitLabels) ?? [:]
        unitLabels = try c.decodeIfPresent([String: String].self, forKey: .unitLabels) ?? [:]
        let known = Set(Self.labels)
        for (field, map) in [("street_unit_labels", streetUnitLabels), ("unit_labels", unitLabels)] {
            for (kind, label) in map {
                guard UnitKind(rawValue: kind) != nil else {
                    throw RoutingTableError.unknownUnitKind(kind, field: field)
                }
                guard known.contains(label) else {
                    throw RoutingTableError.unknownLabel(label, field: "\(field).\(kind)")
                }
            }
        }
        for label in raw.keys where !known.contains(label) {
            throw RoutingTableError.unknownLabel(label, field: "unit_kinds")
        }
        for (code, label) in categoryLabels where !known.contains(label) {
            throw RoutingTableError.unknownLabel(label, field: "category_labels.\(code)")
        }
        let scenarios = Set(Self.noiseScenarios)
        for (code, scenario) in noiseScenarioByCategory where !scenarios.contains(scenario) {
            throw RoutingTableError.unknownLabel(scenario, field: "noise_scenarios.\(code)")
        }
    }

    /// The noise scenario of a match: that of the best category when it is a noise category; otherwise, when the
    /// text has a sound word, that of the strongest noise candidate scoring at least half the best score; else nil
    /// (not a noise complaint, e.g. 油烟 from a 烧烤店 without any word of sound).
    public func noiseScenario(of match: CategoryMatch) -> String? {
        guard let best = match.candidates.first else { return nil }
        if let scenario = noiseScenarioByCategory[best.code] { return scenario }
        guard match.soundWord,
            let noise = match.candidates.first(where: { noiseScenarioByCategory[$0.code] != nil }),
            noise.score >= best.score / 2
        else { return nil }
        return noiseScenarioByCategory[noise.code]
    }

    /// The CityNet target of a router label, or nil for `other` and unknown labels.
    public func target(of label: String) -> Target? { targets[label] }

    /// The router label of the unit a case went to, for scoring dispatches against labels (route-eval): the
    /// street's own label for a street (or grid) unit in ``streetUnitLabels``, else the label whose target has the unit's
    /// kind, else ``unitLabels``, else `other`.
    /// - Parameters:
    ///   - kind: the unit's kind.
    ///   - level: the level of the unit's region.
    public func label(ofUnit kind: UnitKind, at level: RegionLevel) -> String {
        if level >= .street, let label = streetUnitLabels[kind.rawValue] { return label }
        if let label = unitLabels[kind.rawValue] { return label }
        return Self.labels.first { targets[$0]?.unitKind == kind } ?? "other"
    }

    /// Reads the table from JSON.
    /// - Throws: `DecodingError`, or ``RoutingTableError`` naming a label outside the vocabulary.
    public static func decode(json: Data) throws -> RoutingTable {
        try JSONDecoder().decode(RoutingTable.self, from: json)
    }

    /// The table shipped in `Sources/Hotline/Resources/routing.json` (sources in `Resources/ROUTING.md`).
    /// - Throws: `CocoaError(.fileNoSuchFile)` when the resource is missing, else as ``decode(json:)``.
    public static func bundledDefault() throws -> RoutingTable {
        guard let url = Bundle.module.url(forResource: "routing", withExtension: "json", subdirectory: "Resources")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/routing.json"]) }
        return try decode(json: Data(contentsOf: url))
    }
}

/// A routing table that names a label or scenario outside the vocabulary.
public enum RoutingTableError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownLabel(String, field: String)
    case unknownUnitKind(String, field: String)

    public var description: String {
        switch self {
        case .unknownLabel(let label, let field): "routing table: '\(label)' in \(field) is not in the vocabulary"
        case .unknownUnitKind(let kind, let field): "routing table: '\(kind)' in \(field) is not a unit kind"
        }
    }
}
