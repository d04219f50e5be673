import Foundation
import Testing

@testable import CityDomain

/// Calendar cases a schedule change or an awkward start makes easy to get wrong. Every expected date was worked out
/// by hand from the bundled table (`Resources/china_holidays/china_public_holidays_and_workdays.csv`, rows quoted in
/// each test); working-day limits end at 24:00 Asia/Shanghai of the last counted day, written as 00:00 of the next.
@Suite("Calendar scenarios: amended schedules, awkward starts, suspensions over make-up days")
struct CalendarScenarioTests {
    let calendar = TimeFixtures.china
    let calculator = TimeFixtures.calculator
    let at = TimeFixtures.at
    let day = TimeFixtures.day
    let span = TimeFixtures.span

    /// 2019 Labour Day, amended in March 2019 (国办发明电〔2019〕2号): 1–4 May off (Wed–Sat), Sun 28 Apr and Sun 5 May
    /// working. CSV rows: 2019-05-01…2019-05-04 `holiday`, 2019-04-28 and 2019-05-05 `adjusted_workday`.
    @Test func labourDay2019AmendedMidYear() throws {
        let expected: [(String, Bool)] = [
            ("2019-04-27", false),  // Sat
            ("2019-04-28", true),  // Sun, make-up working day
            ("2019-04-30", true),  // Tue
            ("2019-05-01", false), ("2019-05-02", false), ("2019-05-03", false),  // Wed–Fri, holiday
            ("2019-05-04", false),  // Sat, holiday
            ("2019-05-05", true),  // Sun, make-up working day
            ("2019-05-06", true),  // Mon
        ]
        for (date, working) in expected { #expect(try calendar.isWorkingDay(day(date)) == working, "\(date)") }

        // Fri 04-26 10:00 + 3: Sat 04-27 no; Sun 04-28 (1), Mon 04-29 (2), Tue 04-30 (3) → 04-30 24:00.
        #expect(
            try calculator.due(start: at("2019-04-26T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous)
                == at("2019-05-01T00:00:00+08:00"))
        // Tue 04-30 15:00 + 2: 05-01…05-04 off; Sun 05-05 (1), Mon 05-06 (2) → 05-06 24:00.
        #expect(
            try calculator.due(start: at("2019-04-30T15:00:00+08:00"), limit: .workingDays(2), clock: .continuous)
                == at("2019-05-07T00:00:00+08:00"))
        // Office hours run on the make-up Sunday: Sat 04-27 16:00 + 1 h → Sun 04-28 09:00–10:00.
        #expect(
            try calculator.due(start: at("2019-04-27T16:00:00+08:00"), limit: .hours(1), clock: .officeHours)
                == at("2019-04-28T10:00:00+08:00"))
        #expect(try calendar.workingDay(1, after: day("2019-04-30")) == day("2019-05-05"))
    }

    /// 2020 Spring Festival, extended after publication because of COVID-19 (国办发明电〔2020〕1号, 26 Jan 2020): the
    /// holiday ran to Sun 2 Feb, so Fri 31 Jan, Sat 1 Feb (a make-up working day in the original notice) and Sun
    /// 2 Feb were off. CSV rows: 2020-01-24…2020-02-02 `holiday`, 2020-01-19 `adjusted_workday`, no row making
    /// 2020-02-01 a working day.
    @Test func springFestival2020ExtendedAfterPublication() throws {
        let expected: [(String, Bool)] = [
            ("2020-01-19", true),  // Sun, make-up working day
            ("2020-01-23", true),  // Thu
            ("2020-01-24", false),  // Fri, holiday
            ("2020-01-31", false),  // Fri, holiday by the extension
            ("2020-02-01", false),  // Sat, no longer a make-up day
            ("2020-02-02", false),  // Sun, holiday by the extension
            ("2020-02-03", true),  // Mon
        ]
        for (date, working) in expected { #expect(try calendar.isWorkingDay(day(date)) == working, "\(date)") }

        // Thu 01-23 10:00 + 1: 01-24…02-02 off → Mon 02-03 (1) → 02-03 24:00 (the original schedule gave Sat 02-01).
        #expect(
            try calculator.due(start: at("2020-01-23T10:00:00+08:00"), limit: .workingDays(1), clock: .continuous)
                == at("2020-02-04T00:00:00+08:00"))
        // Fri 01-17 10:00 + 2: Sat 01-18 no; Sun 01-19 (1), Mon 01-20 (2) → 01-20 24:00.
        #expect(
            try calculator.due(start: at("2020-01-17T10:00:00+08:00"), limit: .workingDays(2), clock: .continuous)
                == at("2020-01-21T00:00:00+08:00"))
        // Thu 01-23 17:00 + 1 office hour: 17:00–17:30 (0.5 h), then Mon 02-03 09:00–09:30.
        #expect(
            try calculator.due(start: at("2020-01-23T17:00:00+08:00"), limit: .hours(1), clock: .officeHours)
                == at("2020-02-03T09:30:00+08:00"))
    }

    /// A clock that starts on a holiday: Thu 2024-10-03, inside National Day (CSV: 2024-10-01…2024-10-07 `holiday`).
    @Test func aClockStartingOnAHoliday() throws {
        let start = at("2024-10-03T10:00:00+08:00")
        // Working days: 10-04…10-07 off; Tue 10-08 (1) → 10-08 24:00.
        #expect(
            try calculator.due(start: start, limit: .workingDays(1), clock: .continuous)
                == at("2024-10-09T00:00:00+08:00"))
        // Office hours: nothing counts until Tue 10-08 09:00; 2 h → 11:00.
        #expect(
            try calculator.due(start: start, limit: .hours(2), clock: .officeHours) == at("2024-10-08T11:00:00+08:00"))
        #expect(
            try calculator.countedSeconds(
                from: start, to: at("2024-10-08T10:00:00+08:00"), unit: .hours, clock: .officeHours) == 3_600)
        // Continuous time ignores the calendar: 12:00 the same day.
        #expect(
            try calculator.due(start: start, limit: .hours(2), clock: .continuous) == at("2024-10-03T12:00:00+08:00"))
    }

    /// A day limit started one minute before midnight, Asia/Shanghai (15:59 UTC, still the same calendar day there):
    /// that day is the uncounted start day, so the first counted day is the next working day.
    @Test func aDayLimitStartedJustBeforeMidnight() throws {
        // Thu 2024-11-14 23:59 + 1: Fri 11-15 (1) → 11-15 24:00; one minute later it would be Mon 11-18.
        #expect(
            try calculator.due(start: at("2024-11-14T23:59:00+08:00"), limit: .workingDays(1), clock: .continuous)
                == at("2024-11-16T00:00:00+08:00"))
        #expect(
            try calculator.due(start: at("2024-11-15T00:00:00+08:00"), limit: .workingDays(1), clock: .continuous)
                == at("2024-11-19T00:00:00+08:00"))
        // The same instant written in UTC.
        #expect(
            try calculator.due(start: at("2024-11-14T15:59:00Z"), limit: .workingDays(1), clock: .continuous)
                == at("2024-11-16T00:00:00+08:00"))
        // Half of the counted day is used at Fri 12:00; the minute before midnight counted nothing.
        #expect(
            try calculator.fractionUsed(
                start: at("2024-11-14T23:59:00+08:00"), now: at("2024-11-15T12:00:00+08:00"), limit: .workingDays(1),
                clock: .continuous) == 0.5)
        // Mon 2024-09-30 23:59, the eve of National Day, + 1: 10-01…10-07 off → Tue 10-08 (1) → 10-08 24:00.
        #expect(
            try calculator.due(start: at("2024-09-30T23:59:00+08:00"), limit: .workingDays(1), clock: .continuous)
                == at("2024-10-09T00:00:00+08:00"))
        // An office-hour limit started a minute before the office closes: 17:29–17:30, then 29 min on Tue 10-08.
        #expect(
            try calculator.due(start: at("2024-09-30T17:29:00+08:00"), limit: .minutes(30), clock: .officeHours)
                == at("2024-10-08T09:29:00+08:00"))
    }

    /// A suspension across a make-up weekend: Sat 2024-10-12 is a working day (CSV: 2024-10-12 `adjusted_workday`),
    /// Sun 10-13 is not.
    @Test func aSuspensionAcrossAMakeUpWeekend() throws {
        let start = at("2024-10-10T10:00:00+08:00")  // Thu
        // Without it: Fri 10-11 (1), Sat 10-12 (2), Mon 10-14 (3) → 10-14 24:00.
        #expect(
            try calculator.due(start: start, limit: .workingDays(3), clock: .continuous)
                == at("2024-10-15T00:00:00+08:00"))
        // Suspended Fri 10-11 12:00 → Mon 10-14 12:00: counted are Fri 00:00–12:00 (12 h) and Mon 12:00–24:00
        // (12 h) = 24 h; Tue 10-15 → 48 h, Wed 10-16 → 72 h → 10-16 24:00. Two working days lost: half of Friday,
        // the whole make-up Saturday, half of Monday.
        let stop = span("2024-10-11T12:00:00+08:00", "2024-10-14T12:00:00+08:00")
        #expect(
            try calculator.due(start: start, limit: .workingDays(3), clock: .continuous, suspensions: [stop])
                == at("2024-10-17T00:00:00+08:00"))
        #expect(
            try calculator.countedSeconds(
                from: start, to: at("2024-10-15T00:00:00+08:00"), unit: .workingDays, clock: .continuous,
                suspensions: [stop]) == 24 * 3_600)
        // The same span over an ordinary weekend loses one working day: Thu 11-14 + 3 is Fri 11-15, Mon 11-18,
        // Tue 11-19 → 11-20 00:00; suspended Fri 12:00 → Mon 12:00 (12 h + 12 h lost) → Wed 11-20 24:00.
        #expect(
            try calculator.due(
                start: at("2024-11-14T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous,
                suspensions: [span("2024-11-15T12:00:00+08:00", "2024-11-18T12:00:00+08:00")])
                == at("2024-11-21T00:00:00+08:00"))
        // 2019's make-up Sunday under a suspension: Thu 04-25 + 3 is Fri 04-26, Sun 04-28, Mon 04-29 → 04-30 00:00;
        // suspended all of Sat 04-27 and Sun 04-28 → Fri 04-26, Mon 04-29, Tue 04-30 → 05-01 00:00.
        #expect(
            try calculator.due(
                start: at("2019-04-25T10:00:00+08:00"), limit: .workingDays(3), clock: .continuous,
                suspensions: [span("2019-04-27T00:00:00+08:00", "2019-04-29T00:00:00+08:00")])
                == at("2019-05-01T00:00:00+08:00"))
        // Office hours, suspended over the make-up Saturday: Fri 10-11 17:00 + 1 h is 17:00–17:30 and Sat
        // 09:00–09:30; suspended Sat 00:00 → Mon 00:00, the second half hour falls on Mon 10-14 09:00–09:30.
        #expect(
            try calculator.due(
                start: at("2024-10-11T17:00:00+08:00"), limit: .hours(1), clock: .officeHours,
                suspensions: [span("2024-10-12T00:00:00+08:00", "2024-10-14T00:00:00+08:00")])
                == at("2024-10-14T09:30:00+08:00"))
    }
}
