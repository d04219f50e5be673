import Foundation

/// A sensor series as an SVG line chart drawn by CityNet itself (no chart library, no CDN: closed government
/// networks), in view-box units: the values' polylines, broken where the data has a gap, a dashed threshold line,
/// axis ticks and the alarm's raise and clear marks. The template only places these numbers.
struct SeriesChart: Encodable, Equatable {
    struct Tick: Encodable, Equatable {
        var label: String
        /// x for a time tick, y for a value tick.
        var at: Double
        /// SVG `text-anchor`: the first time label starts at its tick, the last ends at it, the others centre.
        var anchor = "end"
    }

    struct Dot: Encodable, Equatable {
        var x: Double
        var y: Double
    }

    /// A further series drawn on the same axes (the trend charts draw two): its polylines and lone dots.
    struct Line: Encodable, Equatable {
        var segments: [String]
        var dots: [Dot]
        var pointCount: Int
    }

    static let width = 640.0
    static let height = 200.0
    static let left = 44.0
    static let right = 8.0
    static let top = 8.0
    static let bottom = 24.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    var width = SeriesChart.width
    var height = SeriesChart.height
    var left = SeriesChart.left
    var plotRight = SeriesChart.width - SeriesChart.right
    var plotBottom = SeriesChart.height - SeriesChart.bottom
    /// Where value labels end (x) and time labels sit (y).
    var yLabelX = SeriesChart.left - 4
    var xLabelY = SeriesChart.height - 6
    /// SVG `points` of each polyline: `x,y x,y …`, one per run of points without a gap.
    var segments: [String]
    /// Points with no neighbour on either side (a one-point run draws no line), drawn as dots.
    var dots: [Dot]
    var thresholdY: Double?
    var yTicks: [Tick]
    var xTicks: [Tick]
    var raisedX: Double?
    var clearedX: Double?
    var yMax: Double
    var yMin: Double
    var pointCount: Int
    /// The series given as `others`, in order, drawn like the first.
    var others: [Line] = []

    /// Draws `points` over [`from`, `to`].
    /// - Parameters:
    ///   - points: values at bucket times, in time order.
    ///   - stepSeconds: the series step; consecutive points more than 1.5 steps apart are a gap (the line breaks).
    ///   - threshold: the rule's raise threshold, drawn as a dashed line and always within the value axis.
    ///   - raised, cleared: the alarm's times, drawn as marks when within the range.
    ///   - others: further series on the same axes (``others``).
    ///   - covering: values the value axis reaches in any case (a rate chart's 100).
    /// - Returns: geometry in view-box units; the value axis runs from min(0, lowest value) to the next 1, 2 or 5
    ///   × 10ⁿ at or above the highest value of every series (and the threshold and `covering`).
    init(
        points: [(t: Date, value: Double)], from: Date, to: Date, stepSeconds: Double, threshold: Double?,
        raised: Date? = nil, cleared: Date? = nil, others: [[(t: Date, value: Double)]] = [],
        covering: [Double] = [], label: (Date) -> String
    ) {
        let values =
            points.map(\.value) + others.flatMap { $0.map(\.value) } + (threshold.map { [$0] } ?? []) + covering
        let low = min(0, values.min() ?? 0)
        let high = Self.niceCeiling(max(values.max() ?? 1, low + 1e-9))
        yMin = low
        yMax = high
        pointCount = points.count
        let span = max(to.timeIntervalSince(from), 1)
        func x(_ date: Date) -> Double {
            Self.round(Self.left + date.timeIntervalSince(from) / span * Self.plotWidth)
        }
        func y(_ value: Double) -> Double {
            Self.round(Self.top + (1 - (value - low) / (high - low)) * Self.plotHeight)
        }
        func line(_ points: [(t: Date, value: Double)]) -> Line {
            var runs: [[Dot]] = []
            var previous: Date?
            for point in points {
                if runs.isEmpty || previous.map({ point.t.timeIntervalSince($0) > 1.5 * stepSeconds }) == true {
                    runs.append([])
                }
                runs[runs.count - 1].append(Dot(x: x(point.t), y: y(point.value)))
                previous = point.t
            }
            return Line(
                segments: runs.filter { $0.count > 1 }.map { run in
                    run.map { "\(Self.format($0.x)),\(Self.format($0.y))" }.joined(separator: " ")
                }, dots: runs.filter { $0.count == 1 }.flatMap { $0 }, pointCount: points.count)
        }
        let first = line(points)
        segments = first.segments
        dots = first.dots
        self.others = others.map(line)
        thresholdY = threshold.map(y)
        yTicks = [low, (low + high) / 2, high].map { Tick(label: Self.format($0), at: y($0)) }
        xTicks = (0...4).map { index in
            let date = from.addingTimeInterval(span * Double(index) / 4)
            return Tick(label: label(date), at: x(date), anchor: index == 0 ? "start" : index == 4 ? "end" : "middle")
        }
        func mark(_ date: Date?) -> Double? {
            guard let date, date >= from, date <= to else { return nil }
            return x(date)
        }
        raisedX = mark(raised)
        clearedX = mark(cleared)
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `value` (value > 0).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 5, 10] where factor * power >= value * (1 - 1e-12) { return factor * power }
        return 10 * power
    }

    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// `12`, `12.5`: no trailing `.0`.
    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
