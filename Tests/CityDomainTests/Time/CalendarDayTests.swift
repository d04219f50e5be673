import Foundation
import Testing

@testable import CityDomain

@Suite("CalendarDay")
struct CalendarDayTests {
    @Test func parsesAndPrintsISODates() {
        let day = CalendarDay("2024-10-08")
        #expect(day == CalendarDay(year: 2024, month: 10, day: 8))
        #expect(day?.description == "2024-10-08")
        #expect(CalendarDay(year: 7, month: 3, day: 1)?.description == "0007-03-01")
    }

    @Test(arguments: ["2024-02-30", "2023-02-29", "2024-13-01", "2024-1-08", "2024/10/08", "", "2024-10-08T00:00"])
    func rejectsInvalidDates(_ text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test func acceptsLeapDay() {
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2000-02-29") != nil)
        #expect(CalendarDay("1900-02-29") == nil)
    }

    @Test func weekdaysAndOrdering() throws {
        let friday = try #require(CalendarDay("2024-09-27"))
        #expect(friday.weekday == 5)
        #expect(!friday.isWeekend)
        #expect(friday.adding(days: 2).weekday == 7)
        #expect(friday.adding(days: 2).isWeekend)
        #expect(friday.adding(days: 5) == CalendarDay("2024-10-02"))
        #expect(friday.adding(days: -27) == CalendarDay("2024-08-31"))
        #expect(friday < friday.adding(days: 1))
        #expect(CalendarDay("2024-12-31")! < CalendarDay("2025-01-01")!)
    }

    @Test func codableAsISOString() throws {
        let data = try JSONEncoder().encode([TimeFixtures.day("2024-10-08")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-10-08"]"#)
        #expect(try JSONDecoder().decode([CalendarDay].self, from: data) == [TimeFixtures.day("2024-10-08")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2024-02-30"]"#.utf8))
        }
    }

    @Test func daysAreShanghaiDays() {
        // 2024-09-27T16:30Z is already 00:30 on the 28th in Shanghai.
        #expect(CalendarDay(containing: TimeFixtures.at("2024-09-27T16:30:00Z")) == CalendarDay("2024-09-28"))
        #expect(CalendarDay(containing: TimeFixtures.at("2024-09-27T15:59:59Z")) == CalendarDay("2024-09-27"))
        #expect(TimeFixtures.day("2024-10-09").startDate == TimeFixtures.at("2024-10-09T00:00:00+08:00"))
    }

    /// Our integer day arithmetic must agree with Foundation's Gregorian calendar in Asia/Shanghai on every day.
    @Test func agreesWithFoundationCalendar() throws {
        let calendar = ShanghaiTime.calendar
        var date = TimeFixtures.at("1985-01-01T12:00:00+08:00")
        let end = TimeFixtures.at("2030-12-31T12:00:00+08:00")
        while date < end {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let day = CalendarDay(containing: date)
            #expect(day.year == parts.year && day.month == parts.month && day.day == parts.day)
            #expect(day.weekday == (parts.weekday! + 5) % 7 + 1)
            #expect(day.startDate == calendar.startOfDay(for: date))
            date = calendar.date(byAdding: .day, value: 1, to: date)!
        }
    }
}
