import CityDomain
import Foundation

/// What the city screen (一屏观全城) counts, within an operator's scope: read by
/// ``CityScreenQueries/counts(scope:district:measure:reference:on:now:)``.
struct CityScreenCounts {
    /// What the map's colour shows: open cases (the default), overdue cases, on-time closure rate (按期结案率) or
    /// first-dispatch accuracy (一次派遣准确率), the evaluation measures of CJ/T 315-2009 (DESIGN.md §4).
    enum MapMeasure: String, CaseIterable, Encodable {
        case open, overdue
        case onTime = "on_time"
        case firstDispatch = "first_dispatch"

        /// The measure a `?colour=` value names, or `open` when none or an unknown one is asked for.
        static func named(_ code: String?) -> MapMeasure { code.flatMap(MapMeasure.init(rawValue:)) ?? .open }
    }

    /// One district's line of the league, and its shade on the map.
    struct DistrictRow: Encodable {
        var code: String
        /// Set by the page in the operator's language (the counts leave it empty).
        var name = ""
        var open = 0
        var overdue = 0
        var closed = 0
        var onTime = 0
        var firstDispatchOK = 0
        var total = 0
        /// Government-service applications of the district past their promised date
        /// (``CityScreenQueries/overdueApplications(unit:on:now:)``).
        var overdueApplications = 0
        /// Closed on time / closed, and kept by the first unit / all, as percentages ("—" with nothing to count).
        var onTimeRate = "—"
        var firstDispatchRate = "—"
        /// 0…4: how dark the district is drawn (0: nothing to show; 4: the most trouble).
        var shade = 0
        var selected = false

        /// Sets the rates and the shade once the counts are in.
        /// - Parameters:
        ///   - measure: what the shade shows.
        ///   - mostOpen, mostOverdue: the largest open and overdue counts on the screen (counts shade relative to
        ///     the worst district: 1 + 3 × count / most).
        mutating func finish(measure: MapMeasure, mostOpen: Int, mostOverdue: Int) {
            func percent(_ part: Int, _ whole: Int) -> String {
                whole == 0 ? "—" : String(format: "%.0f%%", Double(part) * 100 / Double(whole))
            }
            onTimeRate = percent(onTime, closed)
            firstDispatchRate = percent(firstDispatchOK, total)
            switch measure {
            case .open: shade = Self.countShade(open, most: mostOpen)
            case .overdue: shade = Self.countShade(overdue, most: mostOverdue)
            case .onTime: shade = Self.rateShade(onTime, of: closed)
            case .firstDispatch: shade = Self.rateShade(firstDispatchOK, of: total)
            }
        }

        static func countShade(_ count: Int, most: Int) -> Int { count == 0 ? 0 : 1 + min(3, count * 3 / max(most, 1)) }

        /// A rate drawn darker the lower it is, in bands chosen for the screen (not from a standard): ≥ 95 % → 1,
        /// ≥ 85 % → 2, ≥ 70 % → 3, below → 4; nothing to count → 0.
        static func rateShade(_ part: Int, of whole: Int) -> Int {
            guard whole > 0 else { return 0 }
            let rate = Double(part) / Double(whole)
            return rate >= 0.95 ? 1 : rate >= 0.85 ? 2 : rate >= 0.7 ? 3 : 4
        }
    }

    /// Cases of one region in one state, from ``CityScreenQueries/tally(unit:on:now:)``.
    struct Tally: Equatable {
        var region: String
        var state: String
        var count: Int
        /// Of them, overdue at the tally's `now` (``CaseOverdue/sqlExpression(now:)``).
        var overdue: Int
        /// Of them, closed with no overall limit or by it.
        var onTime: Int
        /// Of them, still held by the unit first dispatched to.
        var firstOK: Int
    }

    /// One street's (or town's) line under a district's map: its open cases and, of them, the overdue ones, from
    /// the cases' region codes (located to a point or only to the street alike).
    struct StreetRow: Encodable, Equatable {
        var code: String
        /// Set by the page in the operator's language (the counts leave it empty).
        var name = ""
        var open = 0
        var overdue = 0
        /// Of the open ones, those drawn on the map (with a stored point); set by the page from the map's read.
        var onMap = 0
    }

    /// The district chosen with `?district=` (nil: the operator's whole scope).
    var district: Region?
    /// The district the map shows: the chosen one, else the district the operator's scope lies in (a district or
    /// street operator's own); nil: the whole city.
    var focus: Region? = nil
    /// The open and overdue cases of ``focus`` by street in code order (those `scope` reaches), then, if any, a row
    /// with the district's own code for cases located only to the district; empty without a focus.
    var streets: [StreetRow] = []
    var measure: MapMeasure
    /// Region codes counted; nil for the whole city.
    var inScope: Set<String>?
    /// The league, most open cases first.
    var districts: [DistrictRow]
    /// Cases by state code.
    var states: [String: Int]
    var overdueTotal: Int
    /// Overdue government-service applications by handling department (unit code), within the counted regions.
    var overdueApplications: [String: Int] = [:]
    var overdueApplicationsTotal: Int { overdueApplications.values.reduce(0, +) }
    var openTotal: Int { states.filter { $0.key != CaseState.closed.rawValue }.values.reduce(0, +) }
}

/// Open cases with a stored point in one map cell and one region, as the city screen's map counts them
/// (``CityScreenQueries/markers(scope:regions:grid:reference:on:now:)``): a single case when ``count`` is 1.
struct CityScreenMarker: Equatable {
    /// The smallest case number inside: the case itself when there is one.
    var firstCaseID: Int
    var count: Int
    /// Of them, overdue now.
    var overdueCount: Int
    /// Their mean position, WGS84 degrees: the case's own point when there is one.
    var latitude: Double
    var longitude: Double
    /// The smallest category code inside: the case's own category when there is one.
    var categoryCode: String
    /// Where they were located (a street, grid cell or district code).
    var regionCode: String

    var overdue: Bool { overdueCount > 0 }

    /// One case at its point.
    init(caseID: Int, latitude: Double, longitude: Double, overdue: Bool, categoryCode: String, regionCode: String) {
        self.init(
            firstCaseID: caseID, count: 1, overdueCount: overdue ? 1 : 0, latitude: latitude, longitude: longitude,
            categoryCode: categoryCode, regionCode: regionCode)
    }

    init(
        firstCaseID: Int, count: Int, overdueCount: Int, latitude: Double, longitude: Double, categoryCode: String,
        regionCode: String
    ) {
        self.firstCaseID = firstCaseID
        self.count = count
        self.overdueCount = overdueCount
        self.latitude = latitude
        self.longitude = longitude
        self.categoryCode = categoryCode
        self.regionCode = regionCode
    }

    /// A row of ``CityScreenQueries/markerCells(scope:regions:grid:reference:now:dialect:)``.
    struct Row: Decodable {
        var regionCode: String
        var n: Int
        var overdue: Int
        var latitude: Double
        var longitude: Double
        var firstID: Int
        var categoryCode: String

        enum CodingKeys: String, CodingKey {
            case n, overdue, latitude, longitude
            case regionCode = "region_code", firstID = "first_id", categoryCode = "category_code"
        }
    }

    init(_ row: Row) {
        self.init(
            firstCaseID: row.firstID, count: row.n, overdueCount: row.overdue, latitude: row.latitude,
            longitude: row.longitude, categoryCode: row.categoryCode, regionCode: row.regionCode)
    }
}
