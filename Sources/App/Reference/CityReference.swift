import CityDomain
import NIOConcurrencyHelpers
import Vapor

/// The reference data every request consults, kept in memory: regions, polygons, units, categories, the
/// working-day calendar. Built from the bundled data sets at start and rebuilt when an operator edits the
/// category taxonomy or a city imports polygons, so the hot path of intake (locate, dispatch, time limits)
/// never touches the database.
public struct CityReference: Sendable {
    public let hierarchy: RegionHierarchy
    public let boundaries: BoundaryIndex
    public let locator: RegionLocator
    public let units: [String: CityDomain.Unit]
    public let dispatcher: Dispatcher
    public let taxonomy: CategoryTaxonomy
    public let calendar: WorkCalendar
    public let deadlines: DeadlineCalculator
    /// Regions, units and deadlines as the case rules take them.
    public let caseRules: CaseRuleReference

    /// - Parameters: the parts; the locator and dispatcher are derived from them.
    public init(
        hierarchy: RegionHierarchy, boundaries: BoundaryIndex, units: [CityDomain.Unit], taxonomy: CategoryTaxonomy,
        calendar: WorkCalendar
    ) {
        self.hierarchy = hierarchy
        self.boundaries = boundaries
        self.locator = RegionLocator(hierarchy: hierarchy, boundaries: boundaries)
        self.units = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.dispatcher = Dispatcher(hierarchy: hierarchy, units: units)
        self.taxonomy = taxonomy
        self.calendar = calendar
        self.deadlines = DeadlineCalculator(calendar: calendar)
        self.caseRules = CaseRuleReference(hierarchy: hierarchy, units: self.units, deadlines: deadlines)
    }

    /// Shanghai's bundled reference data: 16 districts and 234 streets/towns (NBS 2022), district polygons
    /// (DataV, WGS84), the standard unit catalogue, the default taxonomy and China's holiday table.
    /// - Throws: when a bundled data file is missing or malformed (a build problem, not a user error).
    /// - Parameter holidayTable: a newer holiday table's CSV text to use instead of the bundled one.
    public static func shanghaiDefault(holidayTable: String? = nil) throws -> CityReference {
        let hierarchy = try RegionHierarchy.shanghai()
        return CityReference(
            hierarchy: hierarchy, boundaries: try BoundaryIndex.shanghaiDistricts(),
            units: UnitCatalogue.standard(for: hierarchy), taxonomy: try CategoryTaxonomy.bundledDefault(),
            calendar: try holidayTable.map { try WorkCalendar(csv: $0) } ?? WorkCalendar.china())
    }

    /// A copy with another taxonomy (after an edit through the API).
    public func with(taxonomy: CategoryTaxonomy) -> CityReference {
        CityReference(
            hierarchy: hierarchy, boundaries: boundaries, units: Array(units.values), taxonomy: taxonomy,
            calendar: calendar)
    }

    /// A copy with imported street or grid polygons (and any new grid-cell regions) added.
    public func with(hierarchy: RegionHierarchy, boundaries: BoundaryIndex) -> CityReference {
        CityReference(
            hierarchy: hierarchy, boundaries: boundaries, units: Array(units.values), taxonomy: taxonomy,
            calendar: calendar)
    }

    /// Whether reports may be filed under `category`: it can be dispatched and has no sub-categories (a group such
    /// as `noise` is not a service; its leaves are).
    public func isService(_ category: Category) -> Bool {
        category.dispatchable && taxonomy.children(of: category.code).isEmpty
    }

    /// The operations centre of `regionCode` or of its nearest ancestor that has one.
    public func operationsCentre(for regionCode: String) -> CityDomain.Unit? {
        caseRules.operationsCentre(for: regionCode)
    }
}

extension Application {
    private struct ReferenceKey: StorageKey { typealias Value = NIOLockedValueBox<CityReference> }

    /// The current reference data. Set once in `configure`; replaced atomically by ``Application/updateReference(_:)``.
    public var reference: CityReference {
        guard let box = storage[ReferenceKey.self] else {
            fatalError("CityReference used before configure(_:) loaded it")
        }
        return box.withLockedValue { $0 }
    }

    /// Installs or replaces the reference data (and rebuilds the hotline's rules and place names over it).
    public func updateReference(_ transform: (CityReference?) throws -> CityReference) rethrows {
        if let box = storage[ReferenceKey.self] {
            try box.withLockedValue { $0 = try transform($0) }
        } else {
            storage[ReferenceKey.self] = NIOLockedValueBox(try transform(nil))
        }
        refreshHotline()
    }
}

extension Request {
    /// The reference data as of this request.
    var reference: CityReference { application.reference }
}
