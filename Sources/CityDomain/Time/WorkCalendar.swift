import Foundation

/// China's working-day calendar: which Asia/Shanghai calendar days are working days (工作日).
///
/// Rule (DESIGN.md §4, data set `Resources/china_holidays`): a working day is (Monday–Friday and not an official
/// holiday) or an adjusted working day (调休: a Saturday or Sunday declared a working day by the State Council's
/// yearly notice). Only the years in the table are known; any other year is an error, never a guess. Lookups are
/// O(1) (one precomputed flag per day of the covered years), so the deadline hot path never parses or formats.
public struct WorkCalendar: Sendable {
    /// The first year the table covers (2004 for the bundled table).
    public let firstYear: Int
    /// The last year the table covers (2026 for the bundled table).
    public let lastYear: Int
    /// Day number (days since 1970-01-01) of 1 January of `firstYear`.
    let firstDayNumber: Int
    /// `working[n - firstDayNumber]` says whether day number `n` is a working day.
    let working: [Bool]

    /// The covered years, `firstYear...lastYear`.
    public var coveredYears: ClosedRange<Int> { firstYear...lastYear }

    /// Reads a holiday table: CSV with a header naming the columns `date` (ISO `YYYY-MM-DD`), `kind` (`holiday` or
    /// `adjusted_workday`) and optionally `holiday` (the festival's name, not used here); CRLF or LF line ends.
    ///
    /// The covered years are those from the earliest to the latest row, so next year's table (this one with more
    /// rows) loads without a code change.
    /// - Throws: `CalendarError.malformedRow(line:reason:)` for a missing column, a bad date, an unknown kind, a date
    ///   listed twice, or an adjusted working day that is not a Saturday or Sunday (`line` is 1-based, header = 1);
    ///   `CalendarError.unreadable(reason:)` for text that is not CSV, a table without rows, or a year without rows
    ///   between the first and last year.
    public init(csv: String) throws(CalendarError) {
        let table: HolidayCSVTable
        do {
            table = try HolidayCSVTable(text: csv)
        } catch {
            throw .unreadable(reason: "not valid CSV (\(error))")
        }
        guard let dateColumn = table.header.firstIndex(of: "date") else {
            throw .malformedRow(line: 1, reason: "the header has no 'date' column (header: \(table.header))")
        }
        guard let kindColumn = table.header.firstIndex(of: "kind") else {
            throw .malformedRow(line: 1, reason: "the header has no 'kind' column (header: \(table.header))")
        }
        var kinds: [Int: Bool] = [:]  // day number → is working (adjusted_workday) or not (holiday)
        var years = Set<Int>()
        for (index, row) in table.rows.enumerated() where !row.allSatisfy(\.isEmpty) {
            let line = index + 2
            let dateText = row.indices.contains(dateColumn) ? row[dateColumn] : ""
            let kindText = row.indices.contains(kindColumn) ? row[kindColumn] : ""
            guard let day = CalendarDay(dateText) else {
                throw .malformedRow(line: line, reason: "'\(dateText)' is not a date of the form YYYY-MM-DD")
            }
            let isWorking: Bool
            switch kindText {
            case "holiday": isWorking = false
            case "adjusted_workday":
                guard day.isWeekend else {
                    throw .malformedRow(
                        line: line, reason: "adjusted_workday \(day) is a weekday; only a Saturday or Sunday can be one"
                    )
                }
                isWorking = true
            default:
                throw .malformedRow(
                    line: line,
                    reason: "unknown kind '\(kindText)' for \(day) (expected 'holiday' or 'adjusted_workday')")
            }
            guard kinds.updateValue(isWorking, forKey: day.dayNumber) == nil else {
                throw .malformedRow(line: line, reason: "\(day) is listed more than once")
            }
            years.insert(day.year)
        }
        guard let first = years.min(), let last = years.max() else {
            throw .unreadable(reason: "the table has no rows")
        }
        if let gap = (first...last).first(where: { !years.contains($0) }) {
            throw .unreadable(reason: "no rows for \(gap), although the table runs from \(first) to \(last)")
        }
        firstYear = first
        lastYear = last
        firstDayNumber = CalendarDay(year: first, month: 1, day: 1)!.dayNumber
        let endDayNumber = CalendarDay(year: last, month: 12, day: 31)!.dayNumber + 1
        var working = (firstDayNumber..<endDayNumber).map { CalendarDay.weekday(ofDayNumber: $0) <= 5 }
        for (dayNumber, isWorking) in kinds {
            working[dayNumber - firstDayNumber] = isWorking
        }
        self.working = working
    }

    /// Whether `day` is a working day: Monday–Friday and not a holiday, or an adjusted working day.
    /// - Throws: `CalendarError.yearNotCovered(year:covered:)` when `day.year` is outside `coveredYears`.
    public func isWorkingDay(_ day: CalendarDay) throws(CalendarError) -> Bool {
        try isWorkingDay(dayNumber: day.dayNumber)
    }

    /// The `n`-th working day strictly after `day` (`n` ≥ 1); with `n` = 3 after Friday 2024-09-27 it is
    /// 2024-10-08 (Sunday 09-29 is an adjusted working day, 10-01…10-07 are the National Day holiday).
    /// - Throws: `CalendarError.yearNotCovered(year:covered:)` when the count runs outside `coveredYears`.
    /// - Precondition: `n >= 1`.
    public func workingDay(_ n: Int, after day: CalendarDay) throws(CalendarError) -> CalendarDay {
        precondition(n >= 1, "n must be at least 1")
        var dayNumber = day.dayNumber
        var found = 0
        while found < n {
            dayNumber += 1
            if try isWorkingDay(dayNumber: dayNumber) { found += 1 }
        }
        return CalendarDay(dayNumber: dayNumber)
    }

    /// Whether day number `dayNumber` (days since 1970-01-01) is a working day; the hot-path form.
    func isWorkingDay(dayNumber: Int) throws(CalendarError) -> Bool {
        let index = dayNumber - firstDayNumber
        guard index >= 0, index < working.count else {
            throw .yearNotCovered(year: CalendarDay(dayNumber: dayNumber).year, covered: coveredYears)
        }
        return working[index]
    }
}
