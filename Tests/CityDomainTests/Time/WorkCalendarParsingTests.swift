import Testing

@testable import CityDomain

@Suite("WorkCalendar CSV parsing")
struct WorkCalendarParsingTests {
    let header = "date,kind,holiday\n"

    @Test func readsASmallTableWithLFEndings() throws {
        let calendar = try WorkCalendar(
            csv: header + "2024-10-01,holiday,National Day\n2024-09-29,adjusted_workday,National Day\n")
        #expect(calendar.coveredYears == 2024...2024)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2024-10-01")) == false)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2024-09-29")) == true)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2024-09-30")) == true)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2024-09-28")) == false)
    }

    @Test func blankLinesAndReorderedColumnsAreFine() throws {
        let calendar = try WorkCalendar(csv: "kind,date\n\nholiday,2024-10-01\n\n")
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2024-10-01")) == false)
    }

    @Test func badDateNamesTheLine() {
        let csv = header + "2024-10-01,holiday,National Day\n2024-13-01,holiday,Nothing\n"
        #expect(
            throws: CalendarError.malformedRow(line: 3, reason: "'2024-13-01' is not a date of the form YYYY-MM-DD")
        ) {
            try WorkCalendar(csv: csv)
        }
    }

    @Test func unknownKindNamesTheLineAndTheKind() throws {
        let csv = header + "2024-10-01,holiday,National Day\n2024-10-02,holyday,National Day\n"
        let error = try #require(throws: CalendarError.self) { try WorkCalendar(csv: csv) }
        guard case .malformedRow(let line, let reason) = error else {
            Issue.record("expected malformedRow, got \(error)")
            return
        }
        #expect(line == 3)
        #expect(reason.contains("'holyday'"))
        #expect(error.description.hasPrefix("malformed row at line 3 of the holiday table"))
    }

    @Test func duplicateDateIsMalformed() {
        let csv = header + "2024-10-05,holiday,National Day\n2024-10-05,adjusted_workday,National Day\n"
        #expect(throws: CalendarError.malformedRow(line: 3, reason: "2024-10-05 is listed more than once")) {
            try WorkCalendar(csv: csv)
        }
    }

    @Test func adjustedWorkdayOnAWeekdayIsMalformed() {
        let csv = header + "2024-10-08,adjusted_workday,National Day\n"
        #expect(
            throws: CalendarError.malformedRow(
                line: 2, reason: "adjusted_workday 2024-10-08 is a weekday; only a Saturday or Sunday can be one")
        ) {
            try WorkCalendar(csv: csv)
        }
    }

    @Test func missingColumnIsMalformedHeader() throws {
        let error = try #require(throws: CalendarError.self) { try WorkCalendar(csv: "date,holiday\n2024-10-01,X\n") }
        guard case .malformedRow(line: 1, _) = error else {
            Issue.record("expected malformedRow at line 1, got \(error)")
            return
        }
    }

    @Test func emptyTableAndGapYearsAreUnreadable() {
        #expect(throws: CalendarError.unreadable(reason: "the table has no rows")) { try WorkCalendar(csv: header) }
        let gap = header + "2023-01-01,holiday,New Year's Day\n2025-01-01,holiday,New Year's Day\n"
        #expect(throws: CalendarError.unreadable(reason: "no rows for 2024, although the table runs from 2023 to 2025"))
        {
            try WorkCalendar(csv: gap)
        }
    }

    @Test func brokenQuotingIsUnreadable() throws {
        let error = try #require(throws: CalendarError.self) {
            try WorkCalendar(csv: header + "2024-10-01,holiday,\"National\"Day\n")
        }
        guard case .unreadable = error else {
            Issue.record("expected unreadable, got \(error)")
            return
        }
    }
}
