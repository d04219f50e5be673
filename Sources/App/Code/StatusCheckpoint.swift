import CityDomain
import Foundation

/// What the checkpoint page's script needs to verify status codes in the browser, with the network gone
/// (`Resources/Public/status-check.js`, issue #16 §2): the endpoints it fetches and caches (the published keys and
/// the signed revocation list) and their lifetimes, the judgement's constants, the categories of the current rule
/// set, and every outcome name and reason in the page's language. Rendered into the page as JSON
/// (`data-checkpoint`); the script keeps it, the keys and the list in `localStorage`.
///
/// The reasons are ``CityDomain/StatusCodeCheck``'s own texts with `{detail}`, `{issued}` and `{until}` where the
/// detail and the Asia/Shanghai times go, so the browser shows the same words as `citynet code verify`.
struct StatusCheckpoint: Encodable {
    var language: String
    var keysURL = "/api/v1/status-code-keys"
    var revocationsURL = "/api/v1/status-code-revocations"
    /// Seconds (``CityDomain/StatusCodeCheck/clockSkew``, ``CityDomain/StatusCodeCheck/refreshGrace``).
    var clockSkew = StatusCodeCheck.clockSkew
    var refreshGrace = StatusCodeCheck.refreshGrace
    /// How often the script refetches each while online, in seconds: the endpoints' `Cache-Control` max-age.
    var keysMaxAge = StatusCodePublicController.keysMaxAge
    var listMaxAge = StatusCodePublicController.listMaxAge
    var ruleSetVersion: Int
    var categories: [StatusRuleSet.Category]
    /// Outcome code → its name in the page's language (`code_outcome_*`).
    var outcomes: [String: String]
    /// ``reasonTemplates(zh:)``.
    var reasons: [String: String]
    /// The page's own words: `cache` (with `{keys}` and `{list}`), `never`, `offline`, `no_keys`, `checked_here`.
    var words: [String: String]

    enum CodingKeys: String, CodingKey {
        case language, categories, outcomes, reasons, words
        case keysURL = "keys_url"
        case revocationsURL = "revocations_url"
        case clockSkew = "clock_skew"
        case refreshGrace = "refresh_grace"
        case keysMaxAge = "keys_max_age"
        case listMaxAge = "list_max_age"
        case ruleSetVersion = "rule_set_version"
    }

    init(language: DisplayLanguage, ruleSetVersion: Int, rules: StatusRuleSet) {
        self.language = language.rawValue
        self.ruleSetVersion = ruleSetVersion
        categories = rules.categories
        outcomes = Dictionary(
            uniqueKeysWithValues: StatusCodeCheck.Outcome.allCases.map {
                ($0.rawValue, GovConsoleText.word("code_outcome_" + $0.rawValue, language))
            })
        reasons = Self.reasonTemplates(zh: language == .zh)
        words = Dictionary(
            uniqueKeysWithValues: ["cache", "never", "offline", "no_keys", "checked_here"].map {
                ($0, GovConsoleText.word("status_check_" + $0, language))
            })
    }

    /// The JSON for the page's `data-checkpoint` attribute.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Each reason of ``CityDomain/StatusCodeCheck`` in one language, keyed by outcome (`valid_checked`,
    /// `valid_stale`, `valid_no_list` for the three things a valid code's reason can say of revocation), made by
    /// judging claims at sentinel times and putting placeholders where those times are printed.
    static func reasonTemplates(zh: Bool) -> [String: String] {
        let (issued, until): (Int64, Int64) = (0, 60)
        let claims = StatusCodeCheck.Claims(subject: "", category: "", issuedAt: issued, expiresAt: until)
        let inside = issued
        let checks: [String: StatusCodeCheck] = [
            "malformed": .refused(.malformed, detail: "{detail}"),
            "unknown_key": .refused(.unknownKey, detail: "{detail}"),
            "tampered": .refused(.tampered, detail: ""),
            "revoked": .judged(claims, revoked: true, revocation: .checked, now: inside),
            "replayed": .judged(
                claims, revoked: false, revocation: .checked,
                now: until + StatusCodeCheck.clockSkew + StatusCodeCheck.refreshGrace + 1),
            "expired": .judged(
                claims, revoked: false, revocation: .checked, now: until + StatusCodeCheck.clockSkew + 1),
            "not_yet_valid": .judged(
                claims, revoked: false, revocation: .checked, now: issued - StatusCodeCheck.clockSkew - 1),
            "valid_checked": .judged(claims, revoked: false, revocation: .checked, now: inside),
            "valid_stale": .judged(claims, revoked: false, revocation: .stale, now: inside),
            "valid_no_list": .judged(claims, revoked: false, revocation: .noList, now: inside),
        ]
        return checks.mapValues { check in
            (zh ? check.reasonZh : check.reasonEn)
                .replacingOccurrences(of: StatusRuleSet.shanghaiTime(issued), with: "{issued}")
                .replacingOccurrences(of: StatusRuleSet.shanghaiTime(until), with: "{until}")
        }
    }
}
