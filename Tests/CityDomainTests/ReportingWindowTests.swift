import CityDomain
import Foundation
import Testing

/// The console's time windows (issue #12 §4): presets end today, custom windows are checked and clamped.
@Suite struct ReportingWindowTests {
    let today = CalendarDay("2026-12-07")!

    func parse(_ window: String?, _ from: String? = nil, _ to: String? = nil) throws(ReportingWindowProblem)
        -> ReportingWindow?
    {
        try ReportingWindow.parse(window: window, from: from, to: to, today: today)
    }

    @Test func presetsEndTodayAndCountWholeBeijingDays() throws {
        #expect(try parse(nil) == nil)
        #expect(try parse("") == nil)
        let day = try #require(try parse("today"))
        #expect((day.first, day.last, day.dayCount) == (today, today, 1))
        // 00:00 Beijing time on 2026-12-07 is 16:00 UTC on 12-06.
        #expect(day.start == Date(timeIntervalSince1970: 1_796_572_800))
        #expect(day.end.timeIntervalSince(day.start) == 86_400)
        let week = try #require(try parse("7d"))
        #expect(week.first.description == "2026-12-01")
        #expect(week.dayCount == 7)
        #expect(week.days.count == 7)
        let month = try #require(try parse("30d"))
        #expect(month.first.description == "2026-11-08")
        #expect(month.choice == .month)
    }

    @Test func customWindowsIncludeBothDaysAndStopAtToday() throws {
        let one = try #require(try parse("custom", "2026-12-07", "2026-12-07"))
        #expect(one.dayCount == 1)
        let open = try #require(try parse(nil, "2026-11-01"))
        #expect((open.choice, open.first.description, open.last) == (.custom, "2026-11-01", today))
        let clamped = try #require(try parse("custom", "2026-12-01", "2027-01-31"))
        #expect(clamped.last == today)
        let longest = try #require(try parse("custom", "2025-12-07", "2026-12-07"))
        #expect(longest.dayCount == ReportingWindow.maxDays)
    }

    @Test func badWindowsSayWhatIsWrong() {
        #expect(throws: ReportingWindowProblem.unknownWindow("90d")) { try parse("90d") }
        #expect(throws: ReportingWindowProblem.missingFrom) { try parse("custom") }
        #expect(throws: ReportingWindowProblem.missingFrom) { try parse(nil, nil, "2026-12-01") }
        #expect(throws: ReportingWindowProblem.badDate(field: "from", value: "2026-02-30")) {
            try parse("custom", "2026-02-30")
        }
        #expect(throws: ReportingWindowProblem.badDate(field: "to", value: "12/01/2026")) {
            try parse("custom", "2026-11-01", "12/01/2026")
        }
        #expect(
            throws: ReportingWindowProblem.reversed(from: CalendarDay("2026-12-02")!, to: CalendarDay("2026-12-01")!)
        ) {
            try parse("custom", "2026-12-02", "2026-12-01")
        }
        #expect(throws: ReportingWindowProblem.future(from: CalendarDay("2026-12-08")!, today: today)) {
            try parse("custom", "2026-12-08", "2026-12-09")
        }
        #expect(throws: ReportingWindowProblem.tooLong(days: 367)) { try parse("custom", "2025-12-06", "2026-12-07") }
    }

    @Test func weeksStartOnMonday() {
        #expect(today.weekday == 1)
        #expect(today.weekStart == today)
        #expect(CalendarDay("2026-12-13")!.weekStart == today)
        #expect(CalendarDay("2026-12-06")!.weekStart.description == "2026-11-30")
        #expect(CalendarDay(daysSince1970: today.daysSince1970) == today)
        #expect(CalendarDay(daysSince1970: 0).description == "1970-01-01")
    }
}
