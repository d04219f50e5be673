import Foundation
import Testing

@testable import CityDomain

@Suite("WorkCalendar on the bundled China table")
struct WorkCalendarTests {
    let china = TimeFixtures.china

    @Test func bundledTableLoadsFromTheModuleBundle() throws {
        let calendar = try WorkCalendar.china()
        #expect(calendar.firstYear == 2004)
        #expect(calendar.lastYear == 2026)
        #expect(calendar.coveredYears == 2004...2026)
    }

    @Test(arguments: [
        ("2024-09-27", true),  // Friday
        ("2024-09-28", false),  // Saturday
        ("2024-09-29", true),  // Sunday, adjusted working day for National Day
        ("2024-10-01", false),  // National Day
        ("2024-10-07", false),  // Monday inside the National Day holiday
        ("2024-10-08", true),  // Tuesday, back to work
        ("2024-10-12", true),  // Saturday, adjusted working day
        ("2025-02-08", true),  // Saturday, adjusted working day after Spring Festival
        ("2025-01-28", false),  // Spring Festival eve, holiday
        ("2026-02-23", false),  // Monday inside the 2026 Spring Festival holiday
        ("2026-12-31", true),  // last day covered
        ("2004-01-01", false),  // first day covered
    ])
    func knownDays(_ text: String, _ working: Bool) throws {
        #expect(try china.isWorkingDay(TimeFixtures.day(text)) == working)
    }

    @Test func workingDayCountSkipsNationalDay() throws {
        #expect(try china.workingDay(3, after: TimeFixtures.day("2024-09-27")) == TimeFixtures.day("2024-10-08"))
        #expect(try china.workingDay(1, after: TimeFixtures.day("2024-09-30")) == TimeFixtures.day("2024-10-08"))
    }

    @Test func aYearAfterTheTableIsAnErrorNamingTheYear() {
        #expect(throws: CalendarError.yearNotCovered(year: 2027, covered: 2004...2026)) {
            try china.isWorkingDay(TimeFixtures.day("2027-01-04"))
        }
        #expect(throws: CalendarError.yearNotCovered(year: 2003, covered: 2004...2026)) {
            try china.isWorkingDay(TimeFixtures.day("2003-12-31"))
        }
        let message = CalendarError.yearNotCovered(year: 2027, covered: 2004...2026).description
        #expect(
            message == "the working-day calendar has no data for 2027 (it covers 2004–2026); "
                + "load a holiday table that includes 2027")
    }

    /// 2024: 262 weekdays − 19 holiday weekdays + 8 adjusted weekend days = 251 (the figure published for 2024).
    /// 2025: 261 weekdays − 18 holiday weekdays + 5 adjusted weekend days = 248.
    @Test func countsOfWorkingDaysPerYear() throws {
        func workingDays(in year: Int) throws -> Int {
            let first = CalendarDay(year: year, month: 1, day: 1)!
            let count = CalendarDay(year: year + 1, month: 1, day: 1)!.dayNumber - first.dayNumber
            return try (0..<count).filter { try china.isWorkingDay(first.adding(days: $0)) }.count
        }
        #expect(try workingDays(in: 2024) == 251)
        #expect(try workingDays(in: 2025) == 248)
    }

    @Test func nextYearsTableLoadsWithoutCodeChange() throws {
        // A made-up 2027 section appended to the real table, as next year's notice would be.
        let extra =
            "2027-01-01,holiday,New Year's Day\r\n2027-01-02,holiday,New Year's Day\r\n"
            + "2027-01-03,holiday,New Year's Day\r\n2027-02-06,adjusted_workday,Spring Festival\r\n"
        let calendar = try WorkCalendar(csv: TimeFixtures.chinaCSV + extra)
        #expect(calendar.coveredYears == 2004...2027)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2027-01-01")) == false)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2027-01-04")) == true)
        #expect(try calendar.isWorkingDay(TimeFixtures.day("2027-02-06")) == true)
        let due = try DeadlineCalculator(calendar: calendar)
            .due(start: TimeFixtures.at("2026-12-30T10:00:00+08:00"), limit: .workingDays(2), clock: .continuous)
        // Thu 12-31 (1), Fri 01-01 holiday, weekend, Mon 2027-01-04 (2).
        #expect(due == TimeFixtures.at("2027-01-05T00:00:00+08:00"))
    }
}
