import CityDomain
import Fluent
import Foundation
import SQLKit

/// Overdue government-service applications (issue #13 §3: "show on the city's indicators") for the city screen.
extension CityScreenQueries {
    /// Applications past their promised date while their clock runs (accepted or under review, the same rule
    /// ``GovOverdue/sweep(reference:gate:db:now:)`` escalates by), counted by region and handling department in
    /// one query over `regions` (the whole city when nil).
    /// - Parameters: `regions`, the region codes to read (an operator's subtree, ``OperatorScope/regionCodes(in:)``;
    ///   rows of other regions are never read); `unit`, a unit to count only the applications of (a caseworker's);
    ///   `now`, the instant overdue is judged at.
    /// - Returns: one tally per (region code, unit code) with at least one overdue application. An application's
    ///   region is the applicant's district, or the city's code for a city-level item.
    /// - Throws: database errors.
    static func overdueApplications(regions: [String]? = nil, unit: String?, on db: any Database, now: Date)
        async throws
        -> [CityScreenCounts.ApplicationTally]
    {
        struct Row: Decodable {
            var regionCode: String
            var unitCode: String
            var n: Int
            enum CodingKeys: String, CodingKey { case regionCode = "region_code", unitCode = "unit_code", n }
        }
        let running = ApplicationState.allCases.filter(\.clockRuns).map(\.rawValue)
        var query = try db.sql().select().column("region_code").column("unit_code")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(GovApplication.schema)
            .where("state", .in, running)
            .where("promised_due_at", .lessThan, Timestamps.stored(now))
        if let regions { query = query.where("region_code", .in, regions) }
        if let unit { query = query.where("unit_code", .equal, unit) }
        let rows = try await query.groupBy("region_code").groupBy("unit_code").all(decoding: Row.self)
        return rows.map { CityScreenCounts.ApplicationTally(region: $0.regionCode, unit: $0.unitCode, count: $0.n) }
    }
}

extension CityScreenCounts {
    /// Overdue applications of one region handled by one department.
    struct ApplicationTally: Equatable {
        var region: String
        var unit: String
        var count: Int
    }
}
