import Foundation

/// A responsible unit that cases are dispatched to: a department or operations centre at one region.
///
/// Foundation also has a type named `Unit` (`NSUnit`): a module that imports both Foundation (or Vapor) and
/// CityDomain writes `CityDomain.Unit`, or declares `typealias Unit = CityDomain.Unit` once at module level.
public struct Unit: Codable, Hashable, Sendable, Identifiable {
    /// Stable code `"<regionCode>.<kind>"`, e.g. `310115.urban_management`, `310115105.operations_centre`.
    public var code: String
    /// Chinese name, e.g. `浦东新区城管执法局`, `北蔡派出所`.
    public var nameZh: String
    /// English name, e.g. `Urban management enforcement bureau, 浦东新区`.
    public var nameEn: String
    /// What the unit does.
    public var kind: UnitKind
    /// The region it is responsible for (its jurisdiction).
    public var regionCode: String

    /// The unit code, for `Identifiable`.
    public var id: String { code }

    /// Creates a unit; `code` defaults to ``code(regionCode:kind:)``.
    public init(code: String? = nil, nameZh: String, nameEn: String, kind: UnitKind, regionCode: String) {
        self.code = code ?? Unit.code(regionCode: regionCode, kind: kind)
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.kind = kind
        self.regionCode = regionCode
    }

    /// The standard unit code for a kind at a region: `"<regionCode>.<kind.rawValue>"`.
    public static func code(regionCode: String, kind: UnitKind) -> String { "\(regionCode).\(kind.rawValue)" }
}
