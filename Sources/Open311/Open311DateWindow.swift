import Foundation

/// The span of time a GET requests or GET servicerequestupdates call covers, from its `start_date` and `end_date`
/// (GeoReport v2 "GET Service Requests": the range defaults to the most recent 90 days and may not span more).
///
/// The window is half-open: a date-time `t` is in it when `start <= t < end` (see `contains(_:)`).
///
/// How the parameters are read (`Open311DateFormat.parse`):
/// - `start_date` is the first instant included. A bare date (`2026-11-01`) means 00:00 that day in Asia/Shanghai.
/// - `end_date` is included to the precision written: `…T18:00:00+08:00` includes all of that second,
///   `…T18:00+08:00` that minute, a bare date the whole day in Asia/Shanghai.
/// - Neither given → the 90 days up to `now`. Only `start_date` → 90 days from it. Only `end_date` → the 90 days
///   before it.
/// - `end_date` before `start_date` → 400. From `start_date` to `end_date` (the end of the day for a bare date) more
///   than 90 days → 400. An unreadable value → 400 naming the parameter and the accepted forms.
public struct Open311DateWindow: Equatable, Sendable {
    /// The longest span allowed and the default span: 90 days of 24 hours.
    public static let maximumSpan: TimeInterval = 90 * 86_400

    /// First instant included.
    public var start: Date
    /// First instant no longer included.
    public var end: Date

    /// Creates a window `[start, end)`.
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Whether `date` falls in `[start, end)`.
    public func contains(_ date: Date) -> Bool { start <= date && date < end }

    /// Reads `start_date` and `end_date` (either may be nil or blank), appending a 400 error per problem.
    ///
    /// - Returns: the window, or nil when an error was appended.
    static func parse(
        startDate: String?, endDate: String?, now: Date, errors: inout [Open311Error]
    ) -> Open311DateWindow? {
        let start = startDate.flatMap(nonBlank).map { read($0, parameter: "start_date", errors: &errors) }
        let end = endDate.flatMap(nonBlank).map { read($0, parameter: "end_date", errors: &errors) }
        if start == .some(nil) || end == .some(nil) { return nil }

        // For a start: the first instant. For an end: the nominal end (for span checks) and the exclusive bound.
        let first: Date?
        switch start {
        case .some(.some(.instant(let d, _))): first = d
        case .some(.some(.day(let s, _))): first = s
        default: first = nil
        }
        let nominalEnd: Date?
        let exclusiveEnd: Date?
        switch end {
        case .some(.some(.instant(let d, let precision))):
            nominalEnd = d
            exclusiveEnd = d.addingTimeInterval(precision)
        case .some(.some(.day(_, let e))):
            nominalEnd = e
            exclusiveEnd = e
        default:
            nominalEnd = nil
            exclusiveEnd = nil
        }

        switch (first, nominalEnd, exclusiveEnd) {
        case (let s?, let n?, let x?):
            if n < s {
                errors.append(
                    .badRequest(
                        "end_date (\(endDate!.trimmed)) is before start_date (\(startDate!.trimmed)); "
                            + "swap them or correct one"))
                return nil
            }
            let span = n.timeIntervalSince(s)
            if span > maximumSpan {
                errors.append(
                    .badRequest(
                        "start_date to end_date spans \(days(span)) days; the limit is 90 days, "
                            + "so ask for several shorter ranges"))
                return nil
            }
            return Open311DateWindow(start: s, end: x)
        case (let s?, nil, nil):
            return Open311DateWindow(start: s, end: s.addingTimeInterval(maximumSpan))
        case (nil, let n?, let x?):
            return Open311DateWindow(start: n.addingTimeInterval(-maximumSpan), end: x)
        default:
            return Open311DateWindow(start: now.addingTimeInterval(-maximumSpan), end: now)
        }
    }

    private static func nonBlank(_ s: String) -> String? { s.trimmed.isEmpty ? nil : s }

    private static func read(
        _ text: String, parameter: String, errors: inout [Open311Error]
    ) -> Open311DateFormat.Parsed? {
        do {
            return try Open311DateFormat.parse(text)
        } catch {
            switch error {
            case .missingOffset:
                errors.append(
                    .badRequest(
                        "\(parameter) \"\(text.trimmed)\" has no UTC offset; add Z or an offset such as +08:00 "
                            + "(encode + as %2B in a URL)"))
            case .impossible:
                errors.append(.badRequest("\(parameter) \"\(text.trimmed)\" is not a real date and time"))
            case .malformed:
                errors.append(
                    .badRequest(
                        "\(parameter) must be a W3C date-time with a UTC offset such as 2026-11-01T08:00:00+08:00 or "
                            + "2026-11-01T00:00:00Z, or a date such as 2026-11-01 (a day in Asia/Shanghai); "
                            + "got \"\(text)\""))
            }
        }
        return nil
    }

    private static func days(_ span: TimeInterval) -> String {
        let d = span / 86_400
        return d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d)
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Shared reading of list and number parameters.
enum Open311QueryParameters {
    /// Splits `a,b, c` into `["a", "b", "c"]`, dropping empty items.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// Reads `limit`: default `maximum`, an integer in 1…maximum.
    static func limit(_ text: String?, maximum: Int, errors: inout [Open311Error]) -> Int {
        guard let text = text?.trimmed, !text.isEmpty else { return maximum }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text), (1...maximum).contains(n) else {
            errors.append(.badRequest("limit must be a whole number from 1 to \(maximum), got \"\(text)\""))
            return maximum
        }
        return n
    }
}
