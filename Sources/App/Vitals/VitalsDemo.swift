import CityDomain
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The vital signs of `citynet serve --demo`: the real Shanghai series (``SensorReplay/bundledShanghai()``) replayed
/// through ingestion under sensors marked `demo.` and `（演示回放）`, so that readings, series and PM2.5 alarms move
/// on screen.
///
/// Observed times are real, never in the future: the hour starting at `H` (hours since 1970, UTC) carries the data's
/// hour `(H − H₀) mod N`, H₀ being the data's first hour and N its 25,602 hours cut to whole days (25,584), so the
/// same hour always carries the same values, at the same hour of the day as in the data, and a restarted demo meets
/// its own readings as duplicates, never as conflicts. At start the demo plays the last ``backfillHours``
/// hours, ``hoursPerPass`` hours a second (a month in three minutes, alarms raised and cleared as it goes), then one
/// hour each real hour.
struct VitalsDemo: Sendable {
    static let backfillHours = 30 * 24
    static let hoursPerPass = 4
    static let idPrefix = "demo."
    static let nameSuffix = "（演示回放）"

    let data: ReplayData
    /// The data's readings by hour offset from its first hour.
    let hours: [[ReplayReading]]
    /// The data's first hour, in hours since 1970.
    let firstHour: Int64

    init(_ data: ReplayData) {
        self.data = data
        let first = data.readings.first?.observed ?? Date(timeIntervalSince1970: 0)
        firstHour = Int64((first.timeIntervalSince1970 / 3600).rounded(.down))
        var hours: [[ReplayReading]] = []
        for reading in data.readings {
            let index = Int(reading.observed.timeIntervalSince(first) / 3600)
            while hours.count <= index { hours.append([]) }
            hours[index].append(reading)
        }
        self.hours = Array(hours.prefix(hours.count / 24 * 24))
    }

    /// The readings of the real hour starting at `hour` × 3600 s since 1970, with that hour as observed time.
    func readings(hour: Int64) -> [ReadingInput] {
        guard !hours.isEmpty else { return [] }
        let count = Int64(hours.count)
        let index = Int(((hour - firstHour) % count + count) % count)
        let observed = Date(timeIntervalSince1970: TimeInterval(hour) * 3600).ISO8601Format()
        return hours[index].map { reading in
            ReadingInput(
                sensorID: Self.idPrefix + reading.sensorID, attribute: reading.attribute,
                value: .number(reading.value), unit: nil, observedAt: observed)
        }
    }

    /// The hours a pass plays: from `next` on, at most ``hoursPerPass``, none after the current one.
    static func due(next: Int64, now: Date) -> Range<Int64> {
        let current = Int64(now.timeIntervalSince1970 / 3600)
        return next..<max(next, min(next + Int64(hoursPerPass), current + 1))
    }

    /// The loop `serve --demo` runs beside the demo calls: registers the demo sensors on its first pass, then plays
    /// the hours that are due every second.
    /// - Throws: when the bundled series cannot be read.
    static func periodicTask(logger: Logger) throws -> PeriodicTask {
        let demo = VitalsDemo(try SensorReplay.bundledShanghai())
        logger.notice(
            "demo: replaying the real Shanghai PM2.5 and weather series (2013–2015) as sensors \(idPrefix)* at real observed times",
            metadata: ["hours": "\(demo.hours.count)", "backfill_hours": "\(backfillHours)"])
        let next = NIOLockedValueBox<Int64?>(nil)
        return PeriodicTask(name: "demo vital signs", interval: 1, startsAtOnce: true) { application, number in
            let now = application.clock.now()
            if number == 0 {
                _ = try await SensorReplay.register(
                    demo.data.sites, idPrefix: idPrefix, nameSuffix: nameSuffix, app: application)
            }
            let start = next.withLockedValue { $0 } ?? Int64(now.timeIntervalSince1970 / 3600) - Int64(backfillHours)
            let hours = due(next: start, now: now)
            guard !hours.isEmpty else { return }
            let inputs = hours.flatMap { demo.readings(hour: $0) }
            _ = try await ReadingIngest.ingest(inputs, app: application, now: now)
            next.withLockedValue { $0 = hours.upperBound }
        }
    }
}
