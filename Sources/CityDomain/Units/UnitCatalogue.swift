import Foundation

/// The standard set of units for a region hierarchy: which kinds of unit exist at which level, and their names.
///
/// Levels follow Shanghai's 一网统管 structure — 市、区、街镇 three-level city operations centres (城运中心) — and the
/// usual split of departments:
/// - **city** and **district**: an operations centre and one unit of every other kind (市/区 bureaus, the police
///   headquarters and its district branches, the fire-rescue corps and its district detachments).
/// - **street/town** (街道/镇/乡): the operations centre and the units that really sit at that level: the
///   urban-management squadron (城管执法中队), the police station (派出所), the housing office (房管办), the
///   market-regulation office (市场监管所) and the city-appearance office (市容所). Traffic police, water, ecology,
///   roads, transport, fire and culture enforcement work from the district, so cases for them go up a level.
/// - **statistical units** (the 19 development zones, industrial parks and farms NBS lists beside the streets):
///   only an operations centre; their public services come from the surrounding district's departments, so a
///   case there goes to the district unit of the right kind (the zone's centre coordinates).
/// - **grid cells**: no units; cases located to a grid cell go to its street's units.
public enum UnitCatalogue {
    /// Kinds that sit at a street/town.
    public static let streetKinds: [UnitKind] = [
        .operationsCentre, .urbanManagement, .police, .housing, .marketRegulation, .greeningSanitation,
    ]

    /// Kinds of unit present at a region of the given level (statistical units: see ``standard(for:)``).
    public static func kinds(at level: RegionLevel) -> [UnitKind] {
        switch level {
        case .city, .district: UnitKind.allCases
        case .street: streetKinds
        case .grid: []
        }
    }

    /// The standard units of a hierarchy, in hierarchy order and then ``UnitKind`` declaration order.
    /// For Shanghai: 1 × 19 + 16 × 19 + 215 × 6 + 19 × 1 = 1,632 units.
    public static func standard(for hierarchy: RegionHierarchy) -> [Unit] {
        hierarchy.all.flatMap { region -> [Unit] in
            let kinds = RegionHierarchy.isStatisticalUnit(region) ? [.operationsCentre] : kinds(at: region.level)
            return kinds.map { kind in
                let names = UnitNames.names(kind: kind, region: region)
                return Unit(nameZh: names.zh, nameEn: names.en, kind: kind, regionCode: region.code)
            }
        }
    }
}
