import CityDomain
import Vapor

/// A citizen's status as `GET /api/v1/me/status` shows it.
struct MyStatusDTO: Content {
    struct Source: Content {
        /// A ``CityDomain/FactSource`` raw value.
        var source: String
        var nameZh: String
        var nameEn: String
        /// How many of the citizen's live facts came from it.
        var facts: Int
        /// Whether the deciding rule used a fact of it.
        var used: Bool

        enum CodingKeys: String, CodingKey {
            case source, facts, used
            case nameZh = "name_zh"
            case nameEn = "name_en"
        }
    }

    var category: String
    var categoryNameZh: String
    var categoryNameEn: String
    var colour: String
    /// The rule that decided, or `default`.
    var reasonCode: String
    var reasonZh: String
    var reasonEn: String
    var evaluatedAt: Date
    /// Until when the status stands unless a new fact arrives.
    var until: Date
    var ruleSetVersion: Int
    /// Every source read for this status (each read is in the citizen's data-access log).
    var sources: [Source]
    /// The appeal of this decision, if any.
    var appeal: StatusAppealDTO?

    enum CodingKeys: String, CodingKey {
        case category, colour, until, sources, appeal
        case categoryNameZh = "category_name_zh"
        case categoryNameEn = "category_name_en"
        case reasonCode = "reason_code"
        case reasonZh = "reason_zh"
        case reasonEn = "reason_en"
        case evaluatedAt = "evaluated_at"
        case ruleSetVersion = "rule_set_version"
    }
}

struct StatusAppealDTO: Content {
    var id: UUID
    var caseId: Int
    var createdAt: Date
    var dueAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case caseId = "case_id"
        case createdAt = "created_at"
        case dueAt = "due_at"
    }

    init(_ row: StatusAppealRow) {
        (id, caseId, createdAt, dueAt) = (row.id!, row.caseID, row.createdAt, row.dueAt)
    }
}

/// A freshly issued status code (`POST /api/v1/me/status-code`).
struct StatusCodeDTO: Content {
    /// The compact JWS the QR holds.
    var code: String
    var category: String
    var issuedAt: Date
    var expiresAt: Date
    /// When the holder's page should fetch a new code (a minute before expiry).
    var refreshAt: Date
    var keyId: String

    enum CodingKeys: String, CodingKey {
        case code, category
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
        case refreshAt = "refresh_at"
        case keyId = "key_id"
    }
}

/// The signed revocation list (`GET /api/v1/status-code-revocations`), the file `citynet code verify
/// --revocations` reads.
struct StatusRevocationsDTO: Content {
    /// The compact JWS of ``StatusRevocationPayload``.
    var list: String
    var issuedAt: Date
    var expiresAt: Date
    var count: Int

    enum CodingKeys: String, CodingKey {
        case list, count
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
    }
}

/// A rule set version (`GET`/`PUT /api/v1/status-rules`).
struct StatusRulesDTO: Content {
    var version: Int
    var createdAt: Date
    var createdBy: String
    var rules: StatusRuleSet

    enum CodingKeys: String, CodingKey {
        case version, rules
        case createdAt = "created_at"
        case createdBy = "created_by"
    }
}

struct StatusRuleVersionDTO: Content {
    var version: Int
    var createdAt: Date
    var createdBy: String

    enum CodingKeys: String, CodingKey {
        case version
        case createdAt = "created_at"
        case createdBy = "created_by"
    }
}

struct StatusRuleErrorsDTO: Content {
    var errors: [RuleSetProblem]
}

/// Progress of a re-evaluation (`POST /api/v1/status-reevaluations`).
struct StatusReevaluationDTO: Content {
    var ruleSetVersion: Int
    var evaluated: Int
    var changed: Int
    var done: Bool
    var startedAt: Date
    var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case evaluated, changed, done
        case ruleSetVersion = "rule_set_version"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    init(_ row: StatusReevaluationRow) {
        (ruleSetVersion, evaluated, changed) = (row.ruleSetVersion, row.evaluated, row.changed)
        (done, startedAt, finishedAt) = (row.finishedAt != nil, row.startedAt, row.finishedAt)
    }
}
