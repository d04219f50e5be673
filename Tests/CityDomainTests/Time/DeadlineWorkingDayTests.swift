import Foundation
import Testing

@testable import CityDomain

@Suite("Deadlines in working days")
struct DeadlineWorkingDayTests {
    let calculator = TimeFixtures.calculator
    let at = TimeFixtures.at

    /// DESIGN.md §4 worked example: Sun 09-29 (调休) and Mon 09-30 count, 10-01…10-07 are holidays, Tue 10-08 is
    /// the third working day; due 2024-10-08 24:00.
    @Test func nationalDay2024Example() throws {
        let due = try calculator.due(start: at("2024-09-27T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous)
        #expect(due == at("2024-10-09T00:00:00+08:00"))
    }

    @Test func clockIsIgnoredForWorkingDays() throws {
        let start = at("2024-09-27T10:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .workingDays(3), clock: .officeHours)
                == at("2024-10-09T00:00:00+08:00"))
    }

    /// The start day does not count, whatever the hour: 23:59 Friday and 00:00 Friday give the same due.
    @Test func startDayNeverCounts() throws {
        for start in ["2024-11-15T00:00:00+08:00", "2024-11-15T23:59:59+08:00"] {
            #expect(
                try calculator.due(start: at(start), limit: .workingDays(1), clock: .continuous)
                    == at("2024-11-19T00:00:00+08:00"))  // Monday 11-18, 24:00
        }
    }

    /// Accepted on a Saturday: the first working day after it is Monday.
    @Test func startOnAWeekend() throws {
        #expect(
            try calculator.due(start: at("2024-11-16T10:00:00+08:00"), limit: .workingDays(1), clock: .continuous)
                == at("2024-11-19T00:00:00+08:00"))
    }

    /// Spring Festival 2025: Sun 01-26 is an adjusted working day, 01-28…02-04 are holidays, Sat 02-08 works.
    /// From Fri 01-24: 01-26 (1), 01-27 (2), 02-05 (3), 02-06 (4), 02-07 (5), Sat 02-08 (6).
    @Test func springFestivalCrossingAndAdjustedSaturday() throws {
        let start = at("2025-01-24T15:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .workingDays(5), clock: .continuous)
                == at("2025-02-08T00:00:00+08:00"))
        #expect(
            try calculator.due(start: start, limit: .workingDays(6), clock: .continuous)
                == at("2025-02-09T00:00:00+08:00"))
    }

    /// A start given in another offset is the same instant: 2024-09-27T02:00Z is 10:00 in Shanghai.
    @Test func startInUTC() throws {
        #expect(
            try calculator.due(start: at("2024-09-27T02:00:00Z"), limit: .workingDays(3), clock: .continuous)
                == at("2024-10-09T00:00:00+08:00"))
        // 16:30Z on the 26th is already Friday 00:30 in Shanghai, so Friday is the (uncounted) start day.
        #expect(
            try calculator.due(start: at("2024-09-26T16:30:00Z"), limit: .workingDays(3), clock: .continuous)
                == at("2024-10-09T00:00:00+08:00"))
    }

    @Test func runningPastTheTableNamesTheMissingYear() throws {
        let start = at("2026-12-30T10:00:00+08:00")
        // Thu 12-31 is the 1st working day; the 2nd would be in 2027.
        #expect(
            try calculator.due(start: start, limit: .workingDays(1), clock: .continuous)
                == at("2027-01-01T00:00:00+08:00"))
        let error = try #require(throws: CalendarError.self) {
            try calculator.due(start: start, limit: .workingDays(5), clock: .continuous)
        }
        #expect(error == .yearNotCovered(year: 2027, covered: 2004...2026))
        #expect(error.description.contains("2027"))
    }

    @Test func usedUpShareOfAWorkingDayLimit() throws {
        let start = at("2024-09-27T10:00:00+08:00")
        // Friday does not count; Sunday 09-29 counts whole; half of Monday 09-30.
        let now = at("2024-09-30T12:00:00+08:00")
        #expect(try calculator.countedSeconds(from: start, to: now, unit: .workingDays, clock: .continuous) == 129_600)
        #expect(try calculator.fractionUsed(start: start, now: now, limit: .workingDays(3), clock: .continuous) == 0.5)
        // During the holiday nothing more is used.
        #expect(
            try calculator.fractionUsed(
                start: start, now: at("2024-10-05T12:00:00+08:00"), limit: .workingDays(3),
                clock: .continuous) == 2.0 / 3.0)
        #expect(
            try calculator.fractionUsed(
                start: start, now: at("2024-10-09T00:00:00+08:00"), limit: .workingDays(3),
                clock: .continuous) == 1.0)
        #expect(try calculator.countedSeconds(from: start, to: start, unit: .workingDays, clock: .continuous) == 0)
    }

    /// Counting up to the last instant of the table needs no 2027 data.
    @Test func countingUpToTheEndOfTheTable() throws {
        let used = try calculator.countedSeconds(
            from: at("2026-12-30T10:00:00+08:00"), to: at("2027-01-01T00:00:00+08:00"), unit: .workingDays,
            clock: .continuous)
        #expect(used == 86_400)
        #expect(throws: CalendarError.yearNotCovered(year: 2027, covered: 2004...2026)) {
            try calculator.countedSeconds(
                from: at("2026-12-30T10:00:00+08:00"), to: at("2027-01-01T00:00:01+08:00"), unit: .workingDays,
                clock: .continuous)
        }
    }
}
