/// Which time a minute or hour limit runs on; set per category (DESIGN.md §4).
///
/// Working-day limits ignore it: they always count whole working days.
public enum HourClock: String, Codable, Sendable, CaseIterable {
    /// Wall-clock time, 24×7: safety and emergencies (a blocked fire lane).
    case continuous
    /// Only time inside the configured `OfficeHours` on working days counts; the clock pauses outside them.
    case officeHours = "office_hours"
}
