import Foundation

/// How an indicator over readings combines its inputs (CityNet issue 11 §2).
public enum ReadingAggregate: String, Sendable, Equatable, CaseIterable {
    /// The mean of the sensors' means over the window: each sensor counts once, however often it reports (an
    /// hourly station weighs as much as a minute one).
    case mean
    /// The largest value any sensor gave in the window (deepest ponding).
    case max
    /// The share of the registered sensors of the kind that gave any reading in the window, in per cent.
    case reportingShare = "reporting_share"
}

/// What an indicator over cases counts (CityNet issue 11 §2; the measures of CJ/T 315-2009, DESIGN.md §4).
public enum CaseMeasure: String, Sendable, Equatable, CaseIterable {
    /// Cases not closed.
    case open
    /// Cases overdue at the time of asking (``CaseWorkflow/isOverdue(state:suspended:stepDueAt:dueAt:now:)``).
    case overdue
    /// Of the cases closed in the window, the share closed on time
    /// (``CaseWorkflow/isClosedOnTime(closedAt:dueAt:)``), in per cent (按期结案率).
    case onTimeRate = "on_time_rate"
}

/// What an indicator is computed from.
public enum IndicatorSource: Sendable, Equatable {
    /// Readings of one attribute (none for ``ReadingAggregate/reportingShare``) of sensors of one kind.
    case readings(kind: SensorKind, attribute: String?, aggregate: ReadingAggregate)
    case cases(CaseMeasure)
}

/// Which way an indicator gets worse: it decides the map's colour bands and which trend is bad news.
public enum IndicatorWorse: String, Sendable, Equatable {
    case higher, lower
}

/// One vital sign (数字体征), defined as data in the bundled `indicators.json` and checked by
/// ``IndicatorCatalogue/parse(_:)``.
public struct IndicatorDefinition: Sendable, Equatable, Identifiable {
    /// Stable id, `[a-z0-9_]{1,40}`, used in the API path.
    public let id: String
    public let nameZh: String
    public let nameEn: String
    public let source: IndicatorSource
    /// UN/CEFACT unit code of the value: the attribute's unit for `mean` and `max`, `P1` (per cent) for shares and
    /// rates, `C62` (one) for counts.
    public let unit: String
    /// The window the value is computed over, in seconds, ending at the time of asking; the trend compares it with
    /// the window before. Counts of open cases compare with the count one window ago.
    public let windowSeconds: Int
    /// Readings only: the value is stale when its newest input is older than this (seconds, at most the window).
    /// Nil for indicators over cases, which are read from the case store when asked and are never stale.
    public let maxAgeSeconds: Int?
    public let worse: IndicatorWorse
    /// Three ascending thresholds cutting values into the map's four bands.
    public let bands: [Double]
    /// Decimal places shown; a trend whose delta rounds to zero at this precision is flat.
    public let decimals: Int

    public init(
        id: String, nameZh: String, nameEn: String, source: IndicatorSource, unit: String, windowSeconds: Int,
        maxAgeSeconds: Int?, worse: IndicatorWorse, bands: [Double], decimals: Int
    ) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.source = source
        self.unit = unit
        self.windowSeconds = windowSeconds
        self.maxAgeSeconds = maxAgeSeconds
        self.worse = worse
        self.bands = bands
        self.decimals = decimals
    }

    /// The unit's symbol for display (`µg/m³`, `cm`, `%`; empty for a count).
    public var unitSymbol: String { Self.symbols[unit] ?? unit }

    static let symbols: [String: String] = [
        "GQ": "µg/m³", "GP": "mg/m³", "CMT": "cm", "MMT": "mm", "CEL": "°C", "MTS": "m/s", "HPA": "hPa", "P1": "%",
        "C62": "", "M1": "mg/L", "KMH": "km/h", "NTU": "NTU", "E50": "vehicles",
    ]

    /// The map band (1 best … 4 worst) of a value, by ``bands`` and ``worse``: with `higher`, below the first
    /// threshold is 1 and at or above the third is 4; with `lower`, at or above the third is 1 and below the first
    /// is 4.
    public func band(of value: Double) -> Int {
        let above = bands.filter { value >= $0 }.count
        return worse == .higher ? 1 + above : 4 - above
    }

    /// `value` rounded to ``decimals`` places.
    public func rounded(_ value: Double) -> Double {
        let scale = pow(10, Double(decimals))
        return (value * scale).rounded() / scale
    }
}
