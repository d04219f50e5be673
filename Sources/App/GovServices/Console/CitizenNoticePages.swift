import CityDomain
import Vapor

/// `GET /console/citizen/notifications` (the outbox's notices not shown before, each shown once, through the API's
/// own handler) and `GET /console/citizen/access-log` (who read or changed the citizen's data, and refusals).
struct CitizenNoticePages {
    struct Notice: Encodable {
        var at: Date
        var text: String
        var note: String?
        var applicationURL: String?
    }

    struct NoticesPage: Encodable {
        var page: ConsolePage
        var notices: [Notice]
    }

    @Sendable func notifications(req: Request) async throws -> View {
        let zh = req.pageLanguage == .zh
        let list = try await CitizenController().notifications(req: req)
        return try await req.view.render(
            "gov/citizen-notices",
            NoticesPage(
                page: .gov(req, title: "notifications", active: "notifications"),
                notices: list.notifications.reversed().map {
                    // A rating's notice keeps the level's code: shown by its name.
                    let level = $0.note.flatMap(RatingLevel.init(rawValue:))
                    return Notice(
                        at: $0.at, text: zh ? $0.textZh : $0.textEn,
                        note: level.map { GovConsoleText.level($0, zh ? .zh : .en) } ?? $0.note,
                        applicationURL: $0.applicationId.map { CitizenPageSession.root + "/applications/\($0)" })
                }))
    }

    struct Entry: Encodable {
        var at: Date
        var action: String
        var target: String
        var refused: Bool
        /// Who read it, for a department's read: the operator and their unit's name.
        var reader: String?
    }

    struct AccessPage: Encodable {
        var page: ConsolePage
        var entries: [Entry]
    }

    @Sendable func accessLog(req: Request) async throws -> View {
        let language = req.pageLanguage
        let log = try await CitizenController().accessLog(req: req)
        return try await req.view.render(
            "gov/citizen-access",
            AccessPage(
                page: .gov(req, title: "access_log", active: "access"),
                entries: log.entries.map { entry in
                    let unit = entry.readerUnit.map { req.reference.unitName($0, in: language) }
                    return Entry(
                        at: entry.at, action: GovConsoleText.action(entry.action, language),
                        target: entry.target.map { $0.hasPrefix(LicenceNumber.root) ? $0 : String($0.prefix(8)) } ?? "",
                        refused: entry.outcome != "allowed",
                        reader: entry.reader.map { [$0, unit].compactMap { $0 }.joined(separator: " · ") })
                }))
    }
}
