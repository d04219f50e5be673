import CityDomain
import Foundation
import Testing

@testable import App

/// The vital signs of `serve --demo`: real observed times, never in the future, the same values for the same hour.
@Suite struct VitalsDemoTests {
    static let demo = Result { VitalsDemo(try SensorReplay.bundledShanghai()) }

    @Test func anHourCarriesTheDataOfTheSameHourOfTheDayAtThatHourAsObservedTime() throws {
        let demo = try Self.demo.get()
        #expect(demo.hours.count == 25_584 && demo.hours.count % 24 == 0)
        // 2026-12-06 14:00 +08:00; the data's first hour is 2013-01-29 06:00 +08:00.
        let hour = Int64(Timestamps.parse("2026-12-06T06:00:00Z")!.timeIntervalSince1970 / 3600)
        let readings = demo.readings(hour: hour)
        #expect(!readings.isEmpty && readings.allSatisfy { $0.observedAt == "2026-12-06T06:00:00Z" })
        #expect(readings.allSatisfy { $0.sensorID?.hasPrefix("demo.") == true })
        let index = Int((hour - demo.firstHour) % Int64(demo.hours.count))
        let source = try #require(demo.hours[index].first)
        let local = Calendar(identifier: .gregorian).dateComponents(in: Timestamps.shanghai, from: source.observed)
        #expect(local.hour == 14, "same hour of the day as the data")
        #expect(demo.readings(hour: hour).count == readings.count, "the same hour always carries the same readings")
        let again = demo.readings(hour: hour + Int64(demo.hours.count))
        #expect(again.map(\.sensorID) == readings.map(\.sensorID))
    }

    @Test func aPassPlaysAtMostFourHoursAndNeverAnHourThatHasNotBegun() {
        let now = Timestamps.parse("2026-12-06T06:30:00Z")!
        let current = Int64(now.timeIntervalSince1970 / 3600)
        #expect(VitalsDemo.due(next: current - 720, now: now) == (current - 720)..<(current - 716))
        #expect(VitalsDemo.due(next: current - 1, now: now) == (current - 1)..<(current + 1))
        #expect(VitalsDemo.due(next: current + 1, now: now).isEmpty)
    }
}
