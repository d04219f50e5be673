import Foundation
import Testing

@testable import CityDomain

@Suite("Deadlines in minutes and hours")
struct DeadlineHourClockTests {
    let calculator = TimeFixtures.calculator
    let at = TimeFixtures.at

    @Test func continuousIsWallClock() throws {
        let start = at("2024-11-15T16:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .hours(4), clock: .continuous) == at("2024-11-15T20:00:00+08:00"))
        #expect(
            try calculator.due(start: start, limit: .minutes(30), clock: .continuous)
                == at("2024-11-15T16:30:00+08:00"))
        // Holidays do not matter to a continuous clock: 24 h from National Day eve.
        #expect(
            try calculator.due(start: at("2024-09-30T18:00:00+08:00"), limit: .hours(24), clock: .continuous)
                == at("2024-10-01T18:00:00+08:00"))
    }

    /// Continuous limits never need the holiday table, so they work past its last year.
    @Test func continuousWorksPastTheTable() throws {
        #expect(
            try calculator.due(start: at("2026-12-31T20:00:00+08:00"), limit: .hours(48), clock: .continuous)
                == at("2027-01-02T20:00:00+08:00"))
    }

    /// Friday 16:00 + 4 office hours: 1.5 h on Friday (to 17:30), weekend paused, 2.5 h on Monday from 09:00.
    @Test func officeHoursAcrossAWeekend() throws {
        let start = at("2024-11-15T16:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .hours(4), clock: .officeHours) == at("2024-11-18T11:30:00+08:00"))
        #expect(
            try calculator.countedSeconds(
                from: start, to: at("2024-11-17T12:00:00+08:00"), unit: .hours, clock: .officeHours) == 5_400)
    }

    @Test func officeHoursSkipLunchAndNight() throws {
        // 11:00 + 2 h: 11:00–12:00, lunch paused, 13:00–14:00.
        #expect(
            try calculator.due(start: at("2024-11-18T11:00:00+08:00"), limit: .hours(2), clock: .officeHours)
                == at("2024-11-18T14:00:00+08:00"))
        // Started at night: the clock first runs at 09:00 next morning.
        #expect(
            try calculator.due(start: at("2024-11-18T22:00:00+08:00"), limit: .minutes(30), clock: .officeHours)
                == at("2024-11-19T09:30:00+08:00"))
        // A limit that fills the morning exactly ends at 12:00, not 13:00.
        #expect(
            try calculator.due(start: at("2024-11-18T09:00:00+08:00"), limit: .hours(3), clock: .officeHours)
                == at("2024-11-18T12:00:00+08:00"))
    }

    /// Office hours over National Day 2024: Mon 09-30 17:00 + 1 h → 0.5 h on 09-30, then Tue 10-08 09:30.
    @Test func officeHoursAcrossAHoliday() throws {
        #expect(
            try calculator.due(start: at("2024-09-30T17:00:00+08:00"), limit: .hours(1), clock: .officeHours)
                == at("2024-10-08T09:30:00+08:00"))
    }

    /// Saturday 2024-10-12 is an adjusted working day, so office hours run on it.
    @Test func officeHoursOnAnAdjustedSaturday() throws {
        #expect(
            try calculator.due(start: at("2024-10-11T17:00:00+08:00"), limit: .hours(1), clock: .officeHours)
                == at("2024-10-12T09:30:00+08:00"))
    }

    @Test func customOfficeHours() throws {
        let shifts = try OfficeHours(periods: [.init(8, 0, to: 20, 0)])
        let calculator = DeadlineCalculator(calendar: TimeFixtures.china, officeHours: shifts)
        #expect(
            try calculator.due(start: at("2024-11-15T16:00:00+08:00"), limit: .hours(6), clock: .officeHours)
                == at("2024-11-18T10:00:00+08:00"))
    }

    /// Office hours are local wall time even on a day with a clock change: Shanghai moved to +09:00 at 02:00 on
    /// Sunday 1990-04-15 (made a working day here so the clock runs on it).
    @Test func officeHoursOnADaylightSavingDay() throws {
        let calendar = try WorkCalendar(csv: "date,kind\n1990-04-15,adjusted_workday\n")
        let calculator = DeadlineCalculator(calendar: calendar)
        #expect(
            try calculator.due(start: at("1990-04-14T20:00:00+08:00"), limit: .hours(1), clock: .officeHours)
                == at("1990-04-15T10:00:00+09:00"))
        #expect(
            try calculator.due(start: at("1990-04-15T11:00:00+09:00"), limit: .hours(4), clock: .officeHours)
                == at("1990-04-15T16:00:00+09:00"))
        // The 23-hour day counts 23 hours of working-day time.
        #expect(
            try calculator.countedSeconds(
                from: at("1990-04-14T12:00:00+08:00"), to: at("1990-04-16T00:00:00+09:00"),
                unit: .workingDays, clock: .continuous) == 23 * 3_600)
    }

    @Test func officeHoursPastTheTableNameTheYear() {
        #expect(throws: CalendarError.yearNotCovered(year: 2027, covered: 2004...2026)) {
            try calculator.due(start: at("2026-12-31T16:00:00+08:00"), limit: .hours(4), clock: .officeHours)
        }
    }

    @Test func badLimitsAreErrorsNotHangs() {
        let start = at("2024-11-15T16:00:00+08:00")
        #expect(throws: DeadlineError.nonPositiveLimit(.hours(0))) {
            try calculator.due(start: start, limit: .hours(0), clock: .continuous)
        }
        #expect(throws: DeadlineError.nonPositiveLimit(.workingDays(-2))) {
            try calculator.due(start: start, limit: .workingDays(-2), clock: .continuous)
        }
        #expect(throws: DeadlineError.limitTooLong(.minutes(.max))) {
            try calculator.due(start: start, limit: .minutes(.max), clock: .officeHours)
        }
        // Long but allowed: the count runs off the table and says so instead of looping.
        #expect(throws: CalendarError.yearNotCovered(year: 2027, covered: 2004...2026)) {
            try calculator.due(start: start, limit: .hours(80_000), clock: .officeHours)
        }
    }

    /// The hot path: a due date must cost microseconds, not milliseconds (generous bound for debug builds).
    @Test func manyDueDatesAreFast() throws {
        let start = at("2024-09-27T10:00:00+08:00")
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for i in 0..<20_000 {
                let moved = start.addingTimeInterval(TimeInterval(i * 97))
                _ = try calculator.due(start: moved, limit: .workingDays(5), clock: .continuous)
                _ = try calculator.due(start: moved, limit: .hours(4), clock: .officeHours)
            }
        }
        #expect(elapsed < .seconds(5))
    }
}
