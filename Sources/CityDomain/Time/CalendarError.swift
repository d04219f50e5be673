/// Why the working-day calendar could not be read, or could not answer for a day.
///
/// Rule (DESIGN.md §4): a date past the years in the holiday table is an error that names the missing year, never a
/// guess.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A row of the holiday table is wrong. `line` is the 1-based line in the CSV text (the header is line 1; 0 when
    /// the problem is not tied to a line).
    case malformedRow(line: Int, reason: String)
    /// The day's year is not in the table; `covered` is the range of years it has (e.g. 2004...2026).
    case yearNotCovered(year: Int, covered: ClosedRange<Int>)
    /// The table as a whole cannot be used: not valid CSV, no rows, a year missing in the middle, or the bundled
    /// file not found.
    case unreadable(reason: String)

    /// One English sentence naming the line or the missing year, e.g. "the working-day calendar has no data for
    /// 2027 (it covers 2004–2026); load a holiday table that includes 2027".
    public var description: String {
        switch self {
        case .malformedRow(let line, let reason):
            return "malformed row at line \(line) of the holiday table: \(reason)"
        case .yearNotCovered(let year, let covered):
            return "the working-day calendar has no data for \(year) (it covers "
                + "\(covered.lowerBound)–\(covered.upperBound)); load a holiday table that includes \(year)"
        case .unreadable(let reason):
            return "the holiday table cannot be read: \(reason)"
        }
    }
}
