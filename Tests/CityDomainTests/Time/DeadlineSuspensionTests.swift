import Foundation
import Testing

@testable import CityDomain

@Suite("Deadlines with suspensions (clock stops)")
struct DeadlineSuspensionTests {
    let calculator = TimeFixtures.calculator
    let at = TimeFixtures.at
    let span = TimeFixtures.span

    /// From Wed 2024-09-25, 5 working days: 09-26, 09-27, Sun 09-29, 09-30, 10-08 → due 10-09 00:00. Suspended from
    /// 09-30 12:00 to 10-08 12:00 (across the holiday): half of 09-30 and half of 10-08 are lost, the holidays
    /// counted nothing anyway, so one working day moves the due to 10-10 00:00.
    @Test func suspensionSpanningAHoliday() throws {
        let start = at("2024-09-25T10:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .workingDays(5), clock: .continuous)
                == at("2024-10-09T00:00:00+08:00"))
        let stop = span("2024-09-30T12:00:00+08:00", "2024-10-08T12:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .workingDays(5), clock: .continuous, suspensions: [stop])
                == at("2024-10-10T00:00:00+08:00"))
    }

    /// A suspension wholly inside the holiday removes nothing.
    @Test func suspensionInsideAHolidayChangesNothing() throws {
        let stop = span("2024-10-02T09:00:00+08:00", "2024-10-05T09:00:00+08:00")
        #expect(
            try calculator.due(
                start: at("2024-09-27T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous, suspensions: [stop])
                == at("2024-10-09T00:00:00+08:00"))
    }

    /// A suspension ending mid-day moves the due by exactly the suspended counted time, not to a day boundary.
    @Test func partialDaySuspensionShiftsExactly() throws {
        let stop = span("2024-09-29T08:00:00+08:00", "2024-09-29T14:00:00+08:00")
        #expect(
            try calculator.due(
                start: at("2024-09-27T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous, suspensions: [stop])
                == at("2024-10-09T06:00:00+08:00"))
    }

    /// Overlapping, unsorted and empty suspensions merge: 08:30–08:45 and 09:00–11:00 stop 2 h 15 min.
    @Test func overlappingUnsortedSuspensionsMerge() throws {
        let stops = [
            span("2024-11-18T09:30:00+08:00", "2024-11-18T11:00:00+08:00"),
            span("2024-11-18T08:30:00+08:00", "2024-11-18T08:45:00+08:00"),
            span("2024-11-18T09:00:00+08:00", "2024-11-18T10:00:00+08:00"),
            span("2024-11-18T10:00:00+08:00", "2024-11-18T10:00:00+08:00"),
        ]
        let start = at("2024-11-18T08:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .hours(4), clock: .continuous, suspensions: stops)
                == at("2024-11-18T14:15:00+08:00"))
        #expect(
            try calculator.countedSeconds(
                from: start, to: at("2024-11-18T12:00:00+08:00"), unit: .hours, clock: .continuous, suspensions: stops)
                == 4 * 3_600 - 8_100)
    }

    /// Office hours with a stop: Mon 09:00 + 4 h, suspended 10:00–14:00 (1 h of morning office time and 1 h of the
    /// afternoon): counted 09:00–10:00, 14:00–17:00 → due 17:00.
    @Test func suspensionOnTheOfficeHoursClock() throws {
        let stop = span("2024-11-18T10:00:00+08:00", "2024-11-18T14:00:00+08:00")
        #expect(
            try calculator.due(
                start: at("2024-11-18T09:00:00+08:00"), limit: .hours(4), clock: .officeHours, suspensions: [stop])
                == at("2024-11-18T17:00:00+08:00"))
    }

    /// Suspended before the start and during the (uncounted) start day: no effect.
    @Test func suspensionsBeforeCountingStartsDoNothing() throws {
        let stops = [
            span("2024-09-01T00:00:00+08:00", "2024-09-02T00:00:00+08:00"),
            span("2024-09-27T11:00:00+08:00", "2024-09-27T18:00:00+08:00"),
        ]
        #expect(
            try calculator.due(
                start: at("2024-09-27T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous, suspensions: stops)
                == at("2024-10-09T00:00:00+08:00"))
    }

    /// A long suspension is jumped over, not walked day by day: suspended three weeks over whole days.
    @Test func longWholeDaySuspension() throws {
        let stop = span("2024-11-18T00:00:00+08:00", "2024-12-09T00:00:00+08:00")
        // From Fri 11-15: Mon 12-09 (1), Tue 12-10 (2).
        #expect(
            try calculator.due(
                start: at("2024-11-15T10:00:00+08:00"), limit: .workingDays(2), clock: .continuous, suspensions: [stop])
                == at("2024-12-11T00:00:00+08:00"))
    }

    /// A suspension into a year the table lacks makes the count reach that year: an error, never a guess.
    @Test func suspensionRunningPastTheTable() {
        let stop = span("2026-12-01T00:00:00+08:00", "2027-01-10T00:00:00+08:00")
        #expect(throws: CalendarError.yearNotCovered(year: 2027, covered: 2004...2026)) {
            try calculator.due(
                start: at("2026-11-30T10:00:00+08:00"), limit: .workingDays(2), clock: .continuous, suspensions: [stop])
        }
    }
}
