import CityDomain
import Vapor

/// The citizen's status page (`GET /console/citizen/status`: status, reason, until when, the sources read, the
/// appeal button and the code as a QR, reloaded a minute before the code expires) and the checkpoint page
/// (`GET /console/citizen/status-check?code=…`, anyone). The checkpoint page verifies in the browser: its script
/// (`status-check.js`) fetches and caches the published keys and the signed revocation list and checks pasted or
/// scanned codes with WebCrypto, so it keeps working with the network gone (``StatusCheckpoint``). Without the
/// script (or without WebCrypto's Ed25519) the form goes to the server, which verifies the same way with the same
/// keys and list only. Chinese first, English with `?lang=en` (issue #16 §2, §4).
struct StatusPages {
    struct Source: Encodable {
        var name: String
        var facts: Int
        var used: Bool
    }

    struct StatusPage: Encodable {
        var page: ConsolePage
        var category: String
        var categoryName: String
        var colour: String
        var reason: String
        var until: Date
        var ruleSetVersion: Int
        var sources: [Source]
        var appealCase: Int?
        var appealDue: Date?
        var code: String
        var qrSVG: String?
        var codeExpires: Date
        /// Seconds until the page fetches a new code (a minute before it expires).
        var refreshSeconds: Int
        var checkURL: String
    }

    @Sendable func status(req: Request) async throws -> View {
        let zh = req.pageLanguage == .zh
        let status = try await MyStatusController().status(req: req)
        let code = try await MyStatusController().code(req: req)
        let title = GovConsoleText.word("status_qr", req.pageLanguage)
        return try await req.view.render(
            "gov/citizen-status",
            StatusPage(
                page: .gov(req, title: "my_status", active: "status"), category: status.category,
                categoryName: zh ? status.categoryNameZh : status.categoryNameEn, colour: status.colour,
                reason: zh ? status.reasonZh : status.reasonEn, until: status.until,
                ruleSetVersion: status.ruleSetVersion,
                sources: status.sources.map {
                    Source(name: zh ? $0.nameZh : $0.nameEn, facts: $0.facts, used: $0.used)
                },
                appealCase: status.appeal?.caseId, appealDue: status.appeal?.dueAt, code: code.code,
                qrSVG: LicencePages.qrSVG(code.code, title: title), codeExpires: code.expiresAt,
                refreshSeconds: max(10, Int(code.refreshAt.timeIntervalSince(req.now))),
                checkURL: CitizenPageSession.root + "/status-check?code=" + code.code + (zh ? "" : "&lang=en")))
    }

    @Sendable func appeal(req: Request) async throws -> Response {
        let back = CitizenPageSession.root + "/status"
        return try await req.govForm(back: back) {
            _ = try await MyStatusController().appeal(req: req)
            return req.consoleRedirect(back, ok: GovConsoleText.word("appeal_sent", req.pageLanguage))
        }
    }

    struct CheckPage: Encodable {
        var page: ConsolePage
        var code: String
        var outcome: String?
        var outcomeName: String?
        var valid: Bool
        var reason: String?
        var category: String?
        var until: Date?
        /// ``StatusCheckpoint`` as JSON, for the page's script.
        var checkpoint: String
    }

    @Sendable func check(req: Request) async throws -> View {
        let zh = req.pageLanguage == .zh
        let text = (req.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let (version, rules) = try await StatusStore.currentRules(
            db: req.db, gate: req.application.writeGate, now: req.now)
        var page = CheckPage(
            page: .gov(req, title: "status_check", active: "status_check"), code: text, outcome: nil,
            outcomeName: nil, valid: false, reason: nil, category: nil, until: nil,
            checkpoint: try StatusCheckpoint(language: req.pageLanguage, ruleSetVersion: version, rules: rules).json())
        if !text.isEmpty {
            let keys = req.application.statusCodeKeys
            let (list, _) = try await StatusCodes.revocationList(keys: keys, db: req.db, now: req.now)
            let verifier = try await StatusCodeVerifier(keys: keys.published, revocationList: list)
            let check = await verifier.check(text, now: Int64(req.now.timeIntervalSince1970))
            page.outcome = check.outcome.rawValue
            page.outcomeName = GovConsoleText.word("code_outcome_" + check.outcome.rawValue, req.pageLanguage)
            page.valid = check.outcome == .valid
            page.reason = zh ? check.reasonZh : check.reasonEn
            if check.outcome == .valid, let claims = check.claims {
                let category = rules.category(claims.category)
                page.category = (zh ? category?.nameZh : category?.nameEn) ?? claims.category
                page.until = Date(timeIntervalSince1970: TimeInterval(claims.expiresAt))
            }
        }
        return try await req.view.render("gov/status-check", page)
    }
}
