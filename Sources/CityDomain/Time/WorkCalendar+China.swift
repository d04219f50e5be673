import Foundation

extension WorkCalendar {
    /// The calendar read from the bundled table `Resources/china_holidays/china_public_holidays_and_workdays.csv`
    /// (State Council notices 2004–2026, via the `chinese-calendar` package; see PROVENANCE.md there).
    ///
    /// The file is read and parsed once per process; later calls return the cached value.
    /// - Throws: `CalendarError.unreadable(reason:)` when the resource is missing or unreadable, or any error of
    ///   `init(csv:)` if the bundled file were damaged.
    public static func china() throws(CalendarError) -> WorkCalendar {
        try bundledChina.get()
    }

    private static let bundledChina: Result<WorkCalendar, CalendarError> = {
        let name = "china_public_holidays_and_workdays"
        guard
            let url = Bundle.module.url(
                forResource: "Resources/china_holidays/\(name)", withExtension: "csv")
                ?? Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Resources/china_holidays")
        else {
            return .failure(.unreadable(reason: "bundled resource Resources/china_holidays/\(name).csv not found"))
        }
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            return Result { () throws(CalendarError) in try WorkCalendar(csv: text) }
        } catch {
            return .failure(.unreadable(reason: "cannot read \(url.path): \(error)"))
        }
    }()
}
