import CityDomain
import Vapor

/// A case as listed on a desk.
struct CaseSummaryDTO: Content {
    var id: Int
    var categoryCode: String
    var categoryName: String
    var priority: String
    var state: String
    var stateName: String
    var regionCode: String
    var regionName: String
    var unitCode: String
    var unitName: String
    var description: String?
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var createdAt: Date
    var updatedAt: Date
    var step: String?
    var stepDueAt: Date?
    var dueAt: Date?
    var overdue: Bool
    var escalationLevel: Int
    var reportCount: Int
    /// Username of the grid worker sent out, if any.
    var assignee: String?

    enum CodingKeys: String, CodingKey {
        case id, priority, state, description, address, latitude, longitude, step, overdue, assignee
        case categoryCode = "category_code", categoryName = "category_name", stateName = "state_name"
        case regionCode = "region_code", regionName = "region_name", unitCode = "unit_code", unitName = "unit_name"
        case createdAt = "created_at", updatedAt = "updated_at", stepDueAt = "step_due_at", dueAt = "due_at"
        case escalationLevel = "escalation_level", reportCount = "report_count"
    }

    /// - Parameter language: the language of the `*_name` fields (the API's are Chinese; the console follows the
    ///   operator's choice).
    init(_ record: Case, reference: CityReference, now: Date, language: DisplayLanguage = .zh) {
        id = record.id ?? 0
        categoryCode = record.categoryCode
        categoryName = reference.categoryName(record.categoryCode, in: language)
        priority = record.priority.rawValue
        state = record.state.rawValue
        stateName = record.state.name(in: language)
        regionCode = record.regionCode
        regionName = reference.regionName(record.regionCode, in: language)
        unitCode = record.unitCode
        unitName = reference.unitName(record.unitCode, in: language)
        description = record.description
        address = record.address
        latitude = record.latitude
        longitude = record.longitude
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        step = record.step?.rawValue
        stepDueAt = record.stepDueAt
        dueAt = record.dueAt
        overdue = CaseOverdue.isOverdue(record, now: now)
        escalationLevel = record.escalationLevel
        reportCount = record.reportCount
        assignee = record.assignee
    }
}

/// One audit-trail entry.
struct CaseEventDTO: Content {
    var id: Int
    var at: Date
    var action: String
    var fromState: String?
    var toState: String
    var actor: String
    var actorUnitCode: String?
    var unitCode: String?
    var note: String?
    /// What a `callback` found (``CallbackResult`` code); nil for other steps.
    var outcome: String?
    /// Photos sent with this action (metadata; the bytes are at each `url`).
    var photos: [CasePhotoDTO]

    enum CodingKeys: String, CodingKey {
        case id, at, action, actor, note, outcome, photos
        case fromState = "from_state", toState = "to_state", actorUnitCode = "actor_unit_code"
        case unitCode = "unit_code"
    }

    init(_ event: CaseEvent, photos: [CasePhotoDTO] = []) {
        id = event.id ?? 0
        at = event.at
        action = event.action.rawValue
        fromState = event.fromState?.rawValue
        toState = event.toState.rawValue
        actor = event.actor
        actorUnitCode = event.actorUnitCode
        unitCode = event.unitCode
        note = event.note
        outcome = event.outcome
        self.photos = photos
    }
}

/// A photo sent with a case action: `url` is `/api/v1/cases/{case}/photos/{id}` (bearer token, same scope as
/// the case).
struct CasePhotoDTO: Content {
    /// Lower-case UUID, as in `url`.
    var id: String
    var contentType: String
    var byteCount: Int
    var sha256: String
    var uploadedBy: String
    var url: String

    enum CodingKeys: String, CodingKey {
        case id, sha256, url
        case contentType = "content_type", byteCount = "byte_count", uploadedBy = "uploaded_by"
    }

    init(caseID: Int, id: UUID, contentType: String, byteCount: Int, sha256: String, uploadedBy: String) {
        self.id = id.uuidString.lowercased()
        self.contentType = contentType
        self.byteCount = byteCount
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        url = "/api/v1/cases/\(caseID)/photos/\(self.id)"
    }
}

/// A report attached to a case (reporter contact omitted: operators reach reporters through the callback step).
struct ReportDTO: Content {
    var id: Int
    var source: String
    var receivedAt: Date
    var description: String?
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var mediaURL: String?

    enum CodingKeys: String, CodingKey {
        case id, source, description, address, latitude, longitude
        case receivedAt = "received_at", mediaURL = "media_url"
    }

    init(_ report: Report) {
        id = report.id ?? 0
        source = report.source.rawValue
        receivedAt = report.receivedAt
        description = report.description
        address = report.address
        latitude = report.latitude
        longitude = report.longitude
        mediaURL = report.mediaURL
    }
}

/// One unit of the automatic dispatch chain (city centre → district centre → street/town centre → the acting unit),
/// read from the intake's `forward` and `dispatch` events.
struct DispatchChainStepDTO: Content {
    var unitCode: String
    var unitName: String
    /// The rule of the hop that brought the case here (``CityDomain/DispatchHopRule`` between centres, the
    /// ``CityDomain/DispatchRule`` on the last hop); nil for the receiving centre.
    var rule: String?

    enum CodingKeys: String, CodingKey {
        case rule
        case unitCode = "unit_code", unitName = "unit_name"
    }

    /// The chain of a case's audit trail: the sender of the first hop, then each receiver, up to and including the
    /// first `dispatch`; empty when the trail has none (a case dispatched by hand).
    static func chain(
        of events: [CaseEvent], reference: CityReference, language: DisplayLanguage
    ) -> [DispatchChainStepDTO] {
        guard let end = events.firstIndex(where: { $0.action == .workflow(.dispatch) }) else { return [] }
        let hops = events[...end].filter { $0.action == .forward || $0.action == .workflow(.dispatch) }
        guard let first = hops.first?.actorUnitCode else { return [] }
        func step(_ code: String, rule: String?) -> DispatchChainStepDTO {
            DispatchChainStepDTO(unitCode: code, unitName: reference.unitName(code, in: language), rule: rule)
        }
        return [step(first, rule: nil)]
            + hops.compactMap { event in event.unitCode.map { step($0, rule: Self.rule(of: event.note)) } }
    }

    /// The rule an intake hop's note starts with (`[territorial] …`).
    private static func rule(of note: String?) -> String? {
        guard let note, note.hasPrefix("["), let close = note.firstIndex(of: "]") else { return nil }
        return String(note[note.index(after: note.startIndex)..<close])
    }
}

/// A case with its dispatch reasoning, time limits, reports, timeline and the actions open to the viewer.
struct CaseDetailDTO: Content {
    var summary: CaseSummaryDTO
    var dispatchRule: String
    var dispatchReason: String
    /// What chose the unit at intake (``CityDomain/DispatchBasis/code``); nil on cases from before it was kept.
    var dispatchBasis: String?
    /// The automatic chain the case came down at intake.
    var dispatchChain: [DispatchChainStepDTO]
    var firstUnitCode: String
    var locateMethod: String
    var locateCandidates: [String]
    var supervisingUnitCode: String?
    var suspendedSince: Date?
    var extensionRequested: Bool
    var extensionDays: Int
    var requestedExtensionDays: Int?
    var reopenCount: Int
    /// The last callback's result since the case was last closed (``CallbackResult`` code); nil before any.
    var callbackResult: String?
    var timeLimitProblem: String?
    var closedAt: Date?
    var allowedActions: [String]
    var reports: [ReportDTO]
    var events: [CaseEventDTO]

    enum CodingKeys: String, CodingKey {
        case summary = "case", reports, events
        case dispatchRule = "dispatch_rule", dispatchReason = "dispatch_reason", firstUnitCode = "first_unit_code"
        case dispatchBasis = "dispatch_basis", dispatchChain = "dispatch_chain"
        case locateMethod = "locate_method", locateCandidates = "locate_candidates"
        case supervisingUnitCode = "supervising_unit_code", suspendedSince = "suspended_since"
        case extensionRequested = "extension_requested", extensionDays = "extension_days"
        case requestedExtensionDays = "requested_extension_days"
        case callbackResult = "callback_result"
        case reopenCount = "reopen_count", timeLimitProblem = "time_limit_problem", closedAt = "closed_at"
        case allowedActions = "allowed_actions"
    }
}

extension CaseDetailDTO {
    /// The DTO of a case read by ``CaseQueries/detail(of:scope:reference:on:)``.
    /// - Parameter language: the language of the `*_name` fields (the API's are Chinese; the console follows the
    ///   operator's choice).
    init(_ detail: CaseDetail, reference: CityReference, now: Date, language: DisplayLanguage = .zh) {
        let record = detail.record
        self.init(
            summary: CaseSummaryDTO(record, reference: reference, now: now, language: language),
            dispatchRule: record.dispatchRule,
            dispatchReason: record.dispatchReason, dispatchBasis: record.dispatchBasis,
            dispatchChain: DispatchChainStepDTO.chain(of: detail.events, reference: reference, language: language),
            firstUnitCode: record.firstUnitCode,
            locateMethod: record.locateMethod,
            locateCandidates: record.locateCandidates.split(separator: ",").map(String.init),
            supervisingUnitCode: record.supervisingUnitCode, suspendedSince: record.suspendedSince,
            extensionRequested: record.extensionRequested, extensionDays: record.extensionDays,
            requestedExtensionDays: record.requestedExtensionDays,
            reopenCount: record.reopenCount, callbackResult: record.callbackResult?.rawValue,
            timeLimitProblem: record.timeLimitProblem, closedAt: record.closedAt,
            allowedActions: detail.allowedActions.map(\.rawValue), reports: detail.reports.map(ReportDTO.init),
            events: detail.events.map { CaseEventDTO($0, photos: detail.photos[$0.id ?? 0] ?? []) })
    }
}
