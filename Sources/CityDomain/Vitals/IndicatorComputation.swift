import Foundation

/// Readings of one sensor and attribute aggregated over a window (from the minute or hour rollups).
public struct ReadingWindow: Sendable, Equatable {
    public var count: Int
    public var total: Double
    public var min: Double
    public var max: Double

    public init(count: Int, total: Double, min: Double, max: Double) {
        self.count = count
        self.total = total
        self.min = min
        self.max = max
    }

    public var mean: Double { total / Double(Swift.max(count, 1)) }

    /// This window and `other` (readings of the same sensor from two stores) as one: counts and totals added,
    /// the smaller minimum and the larger maximum.
    public func merged(with other: ReadingWindow) -> ReadingWindow {
        ReadingWindow(
            count: count + other.count, total: total + other.total, min: Swift.min(min, other.min),
            max: Swift.max(max, other.max))
    }
}

/// One sensor's share in an indicator over readings.
public struct SensorIndicatorInput: Sendable, Equatable {
    public var sensorID: String
    /// The district the sensor is located in, if any.
    public var districtCode: String?
    /// The observed time of the sensor's newest reading (the feed's freshness, as the stale-feed sweep judges it).
    public var lastObserved: Date?
    /// Its readings in the current window, and in the window before; nil when it gave none.
    public var current: ReadingWindow?
    public var previous: ReadingWindow?
    /// Its readings in the window ending at its newest reading: what it last said, when it is silent now.
    public var last: ReadingWindow?

    public init(
        sensorID: String, districtCode: String?, lastObserved: Date?, current: ReadingWindow?,
        previous: ReadingWindow?, last: ReadingWindow? = nil
    ) {
        self.sensorID = sensorID
        self.districtCode = districtCode
        self.lastObserved = lastObserved
        self.current = current
        self.previous = previous
        self.last = last
    }
}

/// Cases of one region counted for an indicator over cases.
public struct CaseIndicatorInput: Sendable, Equatable {
    public var districtCode: String?
    /// Open now, and open one window ago (created by then and not closed by then).
    public var open: Int
    public var openBefore: Int
    /// Overdue now.
    public var overdue: Int
    /// Closed in the current window, and of them closed on time; the same for the window before.
    public var closed: Int
    public var closedOnTime: Int
    public var closedBefore: Int
    public var closedOnTimeBefore: Int

    public init(
        districtCode: String?, open: Int = 0, openBefore: Int = 0, overdue: Int = 0, closed: Int = 0,
        closedOnTime: Int = 0, closedBefore: Int = 0, closedOnTimeBefore: Int = 0
    ) {
        self.districtCode = districtCode
        self.open = open
        self.openBefore = openBefore
        self.overdue = overdue
        self.closed = closed
        self.closedOnTime = closedOnTime
        self.closedBefore = closedBefore
        self.closedOnTimeBefore = closedOnTimeBefore
    }
}

/// Where an indicator went since the window before.
public struct IndicatorTrend: Sendable, Equatable {
    public enum Direction: String, Sendable, Equatable {
        case up, down, flat
    }

    public var direction: Direction
    /// Current minus previous, rounded to the indicator's decimals.
    public var delta: Double
    public var previous: Double
    /// Whether the move is bad news (up for an indicator that is worse higher, down for one worse lower).
    public var worsening: Bool
}

/// An indicator's value for one area (the city or a district) at one time.
public struct IndicatorValue: Sendable, Equatable {
    /// The current value, rounded to the indicator's decimals; nil when stale or when there is nothing to count.
    public var value: Double?
    /// The value the inputs last gave, kept beside a stale (nil) value so a screen can say "42 at 08:00, stale";
    /// equal to ``value`` when it is current.
    public var lastValue: Double?
    /// The observed time of the newest input (readings), or the time of asking (cases, read from the case store).
    public var observedAt: Date?
    /// True when the newest input is older than the indicator's maximum age: the value is then nil.
    public var stale: Bool
    /// Inputs counted: sensors that gave readings in the window (for a reporting share, sensors registered), or
    /// cases counted (closed ones for a rate).
    public var inputs: Int
    public var trend: IndicatorTrend?
    /// The map band 1…4 of the value (``IndicatorDefinition/band(of:)``), nil without a current value.
    public var band: Int?
}

/// An indicator computed for the city (the caller's scope) and each district in it.
public struct IndicatorResult: Sendable, Equatable {
    public var definition: IndicatorDefinition
    public var computedAt: Date
    public var city: IndicatorValue
    /// District code → value, for every district asked for (an empty one has no value).
    public var districts: [String: IndicatorValue]
}

/// Computes indicator values from their inputs (CityNet issue 11 §2). Pure: the app loads the inputs from the
/// rollups and the case store.
public enum IndicatorComputation {
    /// An indicator over readings.
    /// - Parameters:
    ///   - definition: an indicator with a `readings` source.
    ///   - inputs: every sensor of the indicator's kind (and attribute) in the caller's scope.
    ///   - districts: the districts to report, whether or not they have sensors.
    ///   - now: the time of asking.
    /// - Returns: the value for all `inputs` (the city) and for each district's. Rules: freshness is the newest
    ///   input's observed time; older than `maxAgeSeconds` it is stale and the value is nil (an old value never
    ///   shows as current), with ``IndicatorValue/lastValue`` from the current window if any sensor reported in
    ///   it, else from each sensor's own last window. The trend compares the current window with the one before.
    public static func readings(
        _ definition: IndicatorDefinition, inputs: [SensorIndicatorInput], districts: [String], now: Date
    ) -> IndicatorResult {
        let byDistrict = Dictionary(grouping: inputs) { $0.districtCode ?? "" }
        return IndicatorResult(
            definition: definition, computedAt: now, city: readingValue(definition, inputs, now: now),
            districts: Dictionary(
                uniqueKeysWithValues: districts.map { ($0, readingValue(definition, byDistrict[$0] ?? [], now: now)) }))
    }

    /// An indicator over cases.
    /// - Parameters: `inputs`, the case counts of each region in the caller's scope; `districts`, as for
    ///   ``readings(_:inputs:districts:now:)``; `now`, the time of asking.
    /// - Returns: values that are never stale (the case store is current), observed at `now`. Open cases trend
    ///   against the count one window ago, the on-time rate against the window before; overdue has no trend (a
    ///   case's step deadlines move as it advances, so the count one window ago cannot be rebuilt).
    public static func cases(
        _ definition: IndicatorDefinition, inputs: [CaseIndicatorInput], districts: [String], now: Date
    ) -> IndicatorResult {
        let byDistrict = Dictionary(grouping: inputs) { $0.districtCode ?? "" }
        return IndicatorResult(
            definition: definition, computedAt: now, city: caseValue(definition, inputs, now: now),
            districts: Dictionary(
                uniqueKeysWithValues: districts.map { ($0, caseValue(definition, byDistrict[$0] ?? [], now: now)) }))
    }

    static func readingValue(
        _ definition: IndicatorDefinition, _ inputs: [SensorIndicatorInput], now: Date
    ) -> IndicatorValue {
        guard case .readings(_, _, let aggregate) = definition.source else {
            return IndicatorValue(value: nil, lastValue: nil, observedAt: nil, stale: false, inputs: 0)
        }
        func combine(_ windows: [ReadingWindow?]) -> Double? {
            let present = windows.compactMap { $0 }
            switch aggregate {
            case .mean: return present.isEmpty ? nil : present.map(\.mean).reduce(0, +) / Double(present.count)
            case .max: return present.map(\.max).max()
            case .reportingShare:
                return windows.isEmpty ? nil : Double(present.count) * 100 / Double(windows.count)
            }
        }
        let observedAt = inputs.compactMap(\.lastObserved).max()
        let maxAge = TimeInterval(definition.maxAgeSeconds ?? definition.windowSeconds)
        let stale = observedAt.map { now.timeIntervalSince($0) > maxAge } ?? false
        let current = combine(inputs.map(\.current))
        let hasCurrent = inputs.contains { $0.current != nil }
        let lastValue = (hasCurrent || aggregate == .reportingShare ? current : combine(inputs.map(\.last)))
            .map(definition.rounded)
        let value = stale ? nil : current.map(definition.rounded)
        let counted = aggregate == .reportingShare ? inputs.count : inputs.filter { $0.current != nil }.count
        return finish(
            definition, value: value, lastValue: lastValue, previous: combine(inputs.map(\.previous)),
            observedAt: observedAt, stale: stale, inputs: counted)
    }

    static func caseValue(_ definition: IndicatorDefinition, _ inputs: [CaseIndicatorInput], now: Date)
        -> IndicatorValue
    {
        guard case .cases(let measure) = definition.source else {
            return IndicatorValue(value: nil, lastValue: nil, observedAt: nil, stale: false, inputs: 0)
        }
        func sum(_ field: KeyPath<CaseIndicatorInput, Int>) -> Int { inputs.map { $0[keyPath: field] }.reduce(0, +) }
        func rate(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) * 100 / Double(whole) }
        let value: Double?
        let previous: Double?
        let counted: Int
        switch measure {
        case .open:
            value = Double(sum(\.open))
            previous = Double(sum(\.openBefore))
            counted = sum(\.open)
        case .overdue:
            value = Double(sum(\.overdue))
            previous = nil
            counted = sum(\.overdue)
        case .onTimeRate:
            value = rate(sum(\.closedOnTime), sum(\.closed))
            previous = rate(sum(\.closedOnTimeBefore), sum(\.closedBefore))
            counted = sum(\.closed)
        }
        let rounded = value.map(definition.rounded)
        return finish(
            definition, value: rounded, lastValue: rounded, previous: previous, observedAt: now, stale: false,
            inputs: counted)
    }

    private static func finish(
        _ definition: IndicatorDefinition, value: Double?, lastValue: Double?, previous: Double?, observedAt: Date?,
        stale: Bool, inputs: Int
    ) -> IndicatorValue {
        var trend: IndicatorTrend?
        if let value, let previous {
            let before = definition.rounded(previous)
            let delta = definition.rounded(value - before)
            let direction: IndicatorTrend.Direction = delta > 0 ? .up : delta < 0 ? .down : .flat
            let worsening = direction == (definition.worse == .higher ? .up : .down)
            trend = IndicatorTrend(direction: direction, delta: delta, previous: before, worsening: worsening)
        }
        return IndicatorValue(
            value: value, lastValue: lastValue, observedAt: observedAt, stale: stale, inputs: inputs, trend: trend,
            band: value.map(definition.band(of:)))
    }
}
