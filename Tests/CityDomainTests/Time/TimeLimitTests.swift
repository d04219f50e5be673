import Foundation
import Testing

@testable import CityDomain

@Suite("TimeLimit, HourClock, OfficeHours")
struct TimeLimitTests {
    @Test func descriptionsInBothLanguages() {
        #expect(TimeLimit.workingDays(3).descriptionZh == "3个工作日")
        #expect(TimeLimit.workingDays(3).descriptionEn == "3 working days")
        #expect(TimeLimit.workingDays(1).descriptionEn == "1 working day")
        #expect(TimeLimit.minutes(30).descriptionZh == "30分钟")
        #expect(TimeLimit.minutes(30).descriptionEn == "30 minutes")
        #expect(TimeLimit.hours(4).descriptionZh == "4小时")
        #expect(TimeLimit.hours(1).description == "1 hour")
    }

    @Test func wireFormats() throws {
        let json = String(decoding: try JSONEncoder().encode(TimeLimit.workingDays(3)), as: UTF8.self)
        #expect(json.contains(#""unit":"working_days""#) && json.contains(#""value":3"#))
        let decoded = try JSONDecoder().decode(TimeLimit.self, from: Data(#"{"value":30,"unit":"minutes"}"#.utf8))
        #expect(decoded == .minutes(30))
        #expect(HourClock(rawValue: "office_hours") == .officeHours)
        #expect(HourClock(rawValue: "continuous") == .continuous)
    }

    @Test func standardOfficeHours() {
        #expect(OfficeHours.standard.periods == [.init(start: 540, end: 720), .init(start: 780, end: 1_050)])
        #expect(OfficeHours.standard.minutesPerDay == 450)
    }

    @Test func officeHoursValidation() {
        #expect(throws: OfficeHoursError.noPeriods) { try OfficeHours(periods: []) }
        #expect(throws: OfficeHoursError.invalidPeriod(index: 0, start: 600, end: 600)) {
            try OfficeHours(periods: [.init(start: 600, end: 600)])
        }
        #expect(throws: OfficeHoursError.invalidPeriod(index: 1, start: 1_000, end: 1_500)) {
            try OfficeHours(periods: [.init(9, 0, to: 12, 0), .init(start: 1_000, end: 1_500)])
        }
        #expect(throws: OfficeHoursError.overlapping(index: 1)) {
            try OfficeHours(periods: [.init(9, 0, to: 12, 0), .init(11, 0, to: 14, 0)])
        }
        #expect(throws: OfficeHoursError.overlapping(index: 1)) {
            try OfficeHours(periods: [.init(13, 0, to: 17, 0), .init(9, 0, to: 12, 0)])
        }
        // Touching periods and a whole day are fine.
        #expect(throws: Never.self) { try OfficeHours(periods: [.init(9, 0, to: 12, 0), .init(12, 0, to: 13, 0)]) }
        #expect(throws: Never.self) { try OfficeHours(periods: [.init(start: 0, end: 1_440)]) }
    }

    @Test func officeHoursCodableValidates() throws {
        let data = try JSONEncoder().encode(OfficeHours.standard)
        #expect(try JSONDecoder().decode(OfficeHours.self, from: data) == .standard)
        #expect(throws: OfficeHoursError.overlapping(index: 1)) {
            try JSONDecoder().decode(
                OfficeHours.self, from: Data(#"{"periods":[{"start":540,"end":720},{"start":700,"end":800}]}"#.utf8))
        }
    }
}
