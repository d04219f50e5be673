import Foundation

/// One alarm a rule raised over a series: from the first violating reading of its run to the reading that cleared
/// it (or the end of the series).
public struct AlarmEpisode: Sendable, Equatable {
    /// Observed time of the first violating reading of the run that raised the alarm.
    public let runStart: Date
    /// Observed time of the reading that raised it (the rule's condition met).
    public let raisedAt: Date
    /// Observed time of the reading that cleared it; nil when the series ends with the alarm active.
    public let clearedAt: Date?
    /// The highest value from the run's start to the clearing.
    public let peak: Double
    /// Readings from the run's start up to (not including) the clearing one: for an hourly series, the hours with
    /// data the episode lasted (a gap in the data while the alarm is active lengthens ``duration(end:)`` but not
    /// this).
    public let readings: Int

    /// From the run's start to the clearing reading (or to `end` for an alarm still active), in seconds: how long
    /// the condition held, as a person reading the series would count the episode.
    public func duration(end: Date) -> TimeInterval { (clearedAt ?? end).timeIntervalSince(runStart) }
}

/// Counts the alarms one rule raises over a whole series, exactly as ingestion would (``AlarmEvaluator/step``
/// reading by reading in observed-time order), and sums them up.
public enum AlarmEpisodes {
    /// The episodes of `rule` over `readings`, starting from the initial state.
    public static func episodes(rule: AlarmRule, readings: [(observed: Date, value: Double)]) -> [AlarmEpisode] {
        var state = AlarmRuleState()
        var episodes: [AlarmEpisode] = []
        var open: (runStart: Date, raisedAt: Date, peak: Double, readings: Int)?
        var runPeak = -Double.infinity
        for reading in readings.sorted(by: { $0.observed < $1.observed }) {
            let before = state
            let step = AlarmEvaluator.step(rule: rule, state: state, observed: reading.observed, value: reading.value)
            state = step.state
            if step.late { continue }
            if state.runStart != nil, before.runStart != state.runStart {
                runPeak = -.infinity
            }
            runPeak = max(runPeak, reading.value)
            switch step.transition {
            case .raise(let at, _)?:
                open = (state.runStart ?? at, at, runPeak, state.runCount)
            case .clear(let at, _)?:
                if let current = open {
                    episodes.append(
                        AlarmEpisode(
                            runStart: current.runStart, raisedAt: current.raisedAt, clearedAt: at, peak: current.peak,
                            readings: current.readings))
                }
                open = nil
            case nil:
                if var current = open {
                    current.peak = max(current.peak, reading.value)
                    current.readings += 1
                    open = current
                }
            }
        }
        if let current = open {
            episodes.append(
                AlarmEpisode(
                    runStart: current.runStart, raisedAt: current.raisedAt, clearedAt: nil, peak: current.peak,
                    readings: current.readings))
        }
        return episodes
    }

    /// A summary of episodes: how many, their total and longest duration in hours, and the highest peak.
    public struct Summary: Sendable, Equatable {
        public let count: Int
        public let totalHours: Double
        public let longestHours: Double
        public let longestStart: Date?
        public let peak: Double?
        /// Readings within episodes (hours with data, for an hourly series), in all and in the longest by readings.
        public let totalReadings: Int
        public let longestReadings: Int

        public init(_ episodes: [AlarmEpisode], end: Date) {
            count = episodes.count
            totalReadings = episodes.map(\.readings).reduce(0, +)
            longestReadings = episodes.map(\.readings).max() ?? 0
            let hours = episodes.map { $0.duration(end: end) / 3600 }
            totalHours = hours.reduce(0, +)
            let longest = zip(hours, episodes).max { $0.0 < $1.0 }
            longestHours = longest?.0 ?? 0
            longestStart = longest?.1.runStart
            peak = episodes.map(\.peak).max()
        }
    }
}
