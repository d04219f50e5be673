import CityDomain
import Foundation
import SQLKit

extension TrendQueries {
    /// One Asia/Shanghai day of the received-and-closed chart.
    struct Day: Equatable, Sendable {
        var day: CalendarDay
        var received: Int
        var closed: Int
    }

    /// One ISO 8601 week (Monday to Sunday, Asia/Shanghai days) of the rates chart.
    struct Week: Equatable, Sendable {
        /// Its Monday.
        var monday: CalendarDay
        /// Cases closed in the week, and of them those closed on time.
        var closed: Tally
        /// Cases received in the week, and of them those still with the unit first dispatched to.
        var received: Tally

        /// On time / closed in percent; nil with nothing closed.
        var onTimeRate: Double? { Self.percent(closed) }
        /// Kept / received in percent; nil with nothing received.
        var firstDispatchRate: Double? { Self.percent(received) }

        static func percent(_ tally: Tally) -> Double? {
            tally.count == 0 ? nil : Double(tally.kept) * 100 / Double(tally.count)
        }
    }

    /// Cases received and closed on each day of `window`, zero on days without any, in day order.
    /// - Parameters: `regions`, region codes to narrow `scope` to (nil: all of it).
    /// - Throws: database errors.
    static func daily(
        _ window: ReportingWindow, scope: OperatorScope, regions: [String]?, reference: CityReference,
        on sql: any SQLDatabase
    ) async throws -> [Day] {
        let received = try await byDay(
            .received, from: window.start, to: window.end, scope: scope, regions: regions, reference: reference, on: sql
        )
        let closed = try await byDay(
            .closed, from: window.start, to: window.end, scope: scope, regions: regions, reference: reference, on: sql)
        return window.days.map {
            Day(
                day: $0, received: received[$0.daysSince1970]?.count ?? 0,
                closed: closed[$0.daysSince1970]?.count ?? 0)
        }
    }

    /// The `weeks` ISO weeks ending with the one holding `today` (which is counted up to today), oldest first.
    /// - Throws: database errors.
    static func weekly(
        weeks: Int, today: CalendarDay, scope: OperatorScope, regions: [String]?, reference: CityReference,
        on sql: any SQLDatabase
    ) async throws -> [Week] {
        let first = today.weekStart.adding(days: -7 * (max(weeks, 1) - 1))
        let from = first.startDate
        let to = today.adding(days: 1).startDate
        let received = try await byDay(
            .received, from: from, to: to, scope: scope, regions: regions, reference: reference, on: sql)
        let closed = try await byDay(
            .closed, from: from, to: to, scope: scope, regions: regions, reference: reference, on: sql)
        return (0..<max(weeks, 1)).map { index in
            let monday = first.adding(days: 7 * index)
            var week = Week(monday: monday, closed: Tally(), received: Tally())
            for offset in 0..<7 {
                let day = monday.adding(days: offset).daysSince1970
                week.closed += closed[day] ?? Tally()
                week.received += received[day] ?? Tally()
            }
            return week
        }
    }

    /// The league's numbers within `window` by district code (the districts holding the counted regions): cases
    /// received and kept by the first unit, closed and closed on time.
    /// - Throws: database errors.
    static func league(
        _ window: ReportingWindow, scope: OperatorScope, reference: CityReference, on sql: any SQLDatabase
    ) async throws -> (received: [String: Tally], closed: [String: Tally]) {
        func byDistrict(_ event: Event) async throws -> [String: Tally] {
            var result: [String: Tally] = [:]
            let rows = try await byRegionAndUnit(
                event, from: window.start, to: window.end, scope: scope, reference: reference, on: sql)
            for (region, _, tally) in rows {
                guard let district = reference.hierarchy.ancestor(of: region, at: .district)?.code else { continue }
                result[district, default: Tally()] += tally
            }
            return result
        }
        return (try await byDistrict(.received), try await byDistrict(.closed))
    }
}

extension CityScreenCounts {
    /// The league counted within a window (``TrendQueries/league(_:scope:reference:on:)``): each district's
    /// received (``DistrictRow/total``) and first-dispatch-kept cases, closed and on-time cases become those of the
    /// window, and the rates and shades follow; open and overdue stay those of now.
    mutating func count(within league: (received: [String: TrendQueries.Tally], closed: [String: TrendQueries.Tally])) {
        let mostOpen = districts.map(\.open).max() ?? 0
        let mostOverdue = districts.map(\.overdue).max() ?? 0
        for index in districts.indices {
            let code = districts[index].code
            districts[index].total = league.received[code]?.count ?? 0
            districts[index].firstDispatchOK = league.received[code]?.kept ?? 0
            districts[index].closed = league.closed[code]?.count ?? 0
            districts[index].onTime = league.closed[code]?.kept ?? 0
            districts[index].finish(measure: measure, mostOpen: mostOpen, mostOverdue: mostOverdue)
        }
    }
}
