import CityDomain

/// The notes CityNet itself writes into an application's events. Stored as stable English text, which the API
/// returns as it is (``stored``); the console pages show them in the page's language (``text(_:services:)``), so a
/// Chinese page never shows an English system sentence.
enum GovSystemNote: Equatable, Sendable {
    /// The promised date passed while the clock ran (the escalation sweep).
    case promisedDatePassed
    /// A bundle leg was submitted when the leg it waited for was approved.
    case bundleReleased(bundle: String, after: String)
    /// The due instants were counted again with a holiday table reaching `through` (``GovTimeLimitRecheck``).
    case timeLimitsRecounted(through: Int)

    private static let bundlePrefix = "bundle "
    private static let releasedBy = ": released by the approval of "
    private static let recountedThrough = "time limits recounted with the holiday table through "

    /// The note as stored in `gov_application_events.note`.
    var stored: String {
        switch self {
        case .promisedDatePassed: "promised date passed"
        case .bundleReleased(let bundle, let item): Self.bundlePrefix + bundle + Self.releasedBy + item
        case .timeLimitsRecounted(let year): Self.recountedThrough + "\(year)"
        }
    }

    /// The system note `stored` is, or nil for a person's own note.
    init?(stored: String) {
        if stored == Self.promisedDatePassed.stored {
            self = .promisedDatePassed
        } else if stored.hasPrefix(Self.bundlePrefix), let range = stored.range(of: Self.releasedBy) {
            let bundle = stored[stored.index(stored.startIndex, offsetBy: Self.bundlePrefix.count)..<range.lowerBound]
            self = .bundleReleased(bundle: String(bundle), after: String(stored[range.upperBound...]))
        } else if stored.hasPrefix(Self.recountedThrough), let year = Int(stored.dropFirst(Self.recountedThrough.count))
        {
            self = .timeLimitsRecounted(through: year)
        } else {
            return nil
        }
    }

    /// The note in `language`, with the bundle and item named from the catalogue (their codes when unknown).
    func text(_ language: DisplayLanguage, services: GovServicesContext) -> String {
        switch self {
        case .promisedDatePassed:
            return language == .zh ? "已超过承诺办结时限" : "The promised date passed"
        case .bundleReleased(let code, let itemCode):
            let bundle = services.bundles[code]?.definition
            let item = services.catalogue.items.first { $0.code == itemCode }
            if language == .zh {
                return "\(bundle?.nameZh ?? code)：前序事项「\(item?.nameZh ?? itemCode)」办结后自动提交"
            }
            return "\(bundle?.nameEn ?? code): submitted when \(item?.nameEn ?? itemCode) was approved"
        case .timeLimitsRecounted(let year):
            return Message("note.time_limits_recounted", ["year": "\(year)"]).text(language)
        }
    }

    /// `note` for a page in `language`: a system note translated, anything else (a person's words) as written.
    static func display(_ note: String?, _ language: DisplayLanguage, services: GovServicesContext) -> String? {
        note.map { GovSystemNote(stored: $0)?.text(language, services: services) ?? $0 }
    }
}
