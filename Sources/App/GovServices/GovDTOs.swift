import CityDomain
import Vapor

/// A service item as the API shows it.
struct ServiceItemDTO: Content {
    struct MaterialDTO: Content {
        var code: String
        var nameZh: String
        var nameEn: String
        var supply: String
        var elicence: String?
        var required: Bool

        enum CodingKeys: String, CodingKey {
            case code, supply, elicence, required
            case nameZh = "name_zh"
            case nameEn = "name_en"
        }
    }
    var code: String
    var nameZh: String
    var nameEn: String
    var department: String
    var departmentNameZh: String
    var level: String
    var kind: String
    var legalDays: Int
    var promisedDays: Int
    var online: Bool
    var visits: Int
    var feeYuan: Double
    var feeNote: String?
    var steps: [String]
    var lifeEvents: [String]
    var materials: [MaterialDTO]
    var source: String

    init(_ item: ServiceItem) {
        code = item.code
        nameZh = item.nameZh
        nameEn = item.nameEn
        department = item.department.rawValue
        departmentNameZh = item.department.nameZh
        level = item.level.rawValue
        kind = item.kind.rawValue
        legalDays = item.legalDays
        promisedDays = item.promisedDays
        online = item.online
        visits = item.visits
        feeYuan = item.feeYuan
        feeNote = item.feeNote
        steps = item.steps
        lifeEvents = item.lifeEvents
        materials = item.materials.map {
            MaterialDTO(
                code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, supply: $0.supply.rawValue,
                elicence: $0.elicence, required: $0.required)
        }
        source = item.source
    }

    enum CodingKeys: String, CodingKey {
        case code, department, level, kind, online, visits, steps, materials, source
        case nameZh = "name_zh"
        case nameEn = "name_en"
        case departmentNameZh = "department_name_zh"
        case legalDays = "legal_days"
        case promisedDays = "promised_days"
        case feeYuan = "fee_yuan"
        case feeNote = "fee_note"
        case lifeEvents = "life_events"
    }
}

/// An application as its citizen or a caseworker sees it. Never the applicant's identity number in clear.
struct GovApplicationDTO: Content {
    struct MaterialDTO: Content {
        var code: String
        var round: Int
        var supply: String
        var contentType: String?
        var byteCount: Int?
        var sha256: String?
        var elicence: String?

        enum CodingKeys: String, CodingKey {
            case code, round, supply, sha256, elicence
            case contentType = "content_type"
            case byteCount = "byte_count"
        }
    }
    struct EventDTO: Content {
        var at: Date
        var action: String
        var fromState: String?
        var toState: String
        var actor: String
        var note: String?

        enum CodingKeys: String, CodingKey {
            case at, action, actor, note
            case fromState = "from_state"
            case toState = "to_state"
        }
    }
    var id: UUID
    var itemCode: String
    var itemNameZh: String
    var unitCode: String
    var state: String
    var submittedAt: Date
    var acceptedAt: Date?
    var promisedDueAt: Date?
    var legalDueAt: Date?
    var timeLimitProblem: String?
    /// True while it waits for the citizen's completion (the clocks stand still).
    var clockStopped: Bool
    var reason: String?
    var escalatedTo: String?
    var version: Int
    var materials: [MaterialDTO]
    var events: [EventDTO]

    init(_ application: GovApplication, item: ServiceItem?, materials: [GovMaterial], events: [GovApplicationEvent]) {
        id = application.id ?? UUID()
        itemCode = application.itemCode
        itemNameZh = item?.nameZh ?? application.itemCode
        unitCode = application.unitCode
        state = application.state.rawValue
        submittedAt = application.submittedAt
        acceptedAt = application.acceptedAt
        promisedDueAt = application.promisedDueAt
        legalDueAt = application.legalDueAt
        timeLimitProblem = application.timeLimitProblem
        clockStopped = application.stoppedSince != nil
        reason = application.reason
        escalatedTo = application.escalatedTo
        version = application.version
        self.materials = materials.map {
            MaterialDTO(
                code: $0.materialCode, round: $0.round, supply: $0.supply, contentType: $0.contentType,
                byteCount: $0.byteCount, sha256: $0.sha256, elicence: $0.elicence)
        }
        self.events = events.map {
            EventDTO(
                at: $0.at, action: $0.action, fromState: $0.fromState?.rawValue, toState: $0.toState.rawValue,
                actor: $0.actor, note: $0.note)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, state, reason, version, materials, events
        case itemCode = "item_code"
        case itemNameZh = "item_name_zh"
        case unitCode = "unit_code"
        case submittedAt = "submitted_at"
        case acceptedAt = "accepted_at"
        case promisedDueAt = "promised_due_at"
        case legalDueAt = "legal_due_at"
        case timeLimitProblem = "time_limit_problem"
        case clockStopped = "clock_stopped"
        case escalatedTo = "escalated_to"
    }
}

/// A citizen's own account: the identity number only masked.
struct CitizenDTO: Content {
    var id: UUID
    var name: String
    var identityNumber: String
    var phone: String
    var createdAt: Date

    init(_ citizen: Citizen) {
        id = citizen.id ?? UUID()
        name = citizen.name
        identityNumber = citizen.idMasked
        phone = IdentityNumber.mask(citizen.phone)
        createdAt = citizen.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, phone
        case identityNumber = "identity_number"
        case createdAt = "created_at"
    }
}

/// A notice on the citizen's page, rendered in both languages from its stored code.
struct GovNoticeDTO: Content {
    var id: UUID
    var applicationId: UUID?
    var at: Date
    var kind: String
    var state: String?
    var textZh: String
    var textEn: String
    var note: String?

    init(_ notice: GovNotification) {
        id = notice.id ?? UUID()
        applicationId = notice.applicationID
        at = notice.at
        kind = notice.kind
        state = notice.state?.rawValue
        note = notice.note
        let stateZh = notice.state.map(GovText.stateZh) ?? ""
        switch notice.kind {
        case "rectification_opened":
            textZh = "您的差评已转为整改工单，部门将在规定时限内整改并回访"
            textEn = "Your bad rating opened a rectification case; the department will fix it and call you back"
        case "rectification_closed":
            textZh = "您差评的整改已完成，如仍不满意请再次反映"
            textEn = "The rectification of your bad rating is done; tell us if you are still not satisfied"
        case "registration_attempted":
            textZh = "有人尝试用您的身份证号注册新账户，您的账户未作更改；如非本人操作，请留意账户安全"
            textEn =
                "Someone tried to register a new account with your identity number; your account is unchanged. If it was not you, keep an eye on your account"
        case "rated":
            textZh = "感谢您的评价"
            textEn = "Thank you for your rating"
        default:
            textZh = "办件状态：\(stateZh)"
            textEn = "Application is now \(notice.state?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "")"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, at, kind, state, note
        case applicationId = "application_id"
        case textZh = "text_zh"
        case textEn = "text_en"
    }
}

enum GovText {
    static func stateZh(_ state: ApplicationState) -> String {
        switch state {
        case .submitted: "已提交"
        case .accepted: "已受理"
        case .returnedForCompletion: "待补正"
        case .underReview: "审核中"
        case .approved: "准予许可"
        case .refused: "不予许可"
        case .resultIssued: "已出证"
        case .done: "已办结"
        }
    }
}
