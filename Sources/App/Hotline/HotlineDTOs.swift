import CityDomain
import Hotline
import Vapor

/// The channel a 12345 call came through.
enum HotlineChannel: String, Codable, Sendable, CaseIterable {
    case phone, web, app, wechat
    case miniProgram = "mini_program"
}

/// Body of `POST /api/v1/hotline/reports`.
struct HotlineReportBody: Content {
    /// The complaint as the caller told it (Chinese free text), 1…4,000 characters.
    var text: String
    var address: String?
    var callerName: String?
    var callerPhone: String?
    var channel: String
    /// When the call was taken; default: when the request arrives.
    var receivedAt: Date?

    enum CodingKeys: String, CodingKey {
        case text, address, channel
        case callerName = "caller_name", callerPhone = "caller_phone", receivedAt = "received_at"
    }
}

/// How a hotline message was triaged, stored with the report (JSON) and returned to the caller.
struct HotlineTriageRecord: Content, Equatable {
    struct Score: Codable, Equatable, Sendable {
        var label: String
        var score: Double
    }

    /// What became of the report, with the case it became or joined.
    var outcome: HotlineTriageOutcome
    /// Whether the answer leaves out the case the report became or joined (id, unit, merge reasons): set for a
    /// caller who may not see that case; never stored (a stored record always names its case).
    var caseWithheld = false
    /// Why a person must look at it, or who decided and why (a categorisation, dismissal or split). Setting it
    /// drops ``reasonMessage``, which words the triage's own reason only.
    var reason: String? { didSet { reasonMessage = nil } }
    /// Why triage queued it, as a catalogue message (``HotlineTriageResult/PersonReason/message``) the console words
    /// in the reader's language; nil for records written before it and for a person's decision.
    var reasonMessage: Message?
    var theme: String
    var themeConfidence: Double
    var themes: [Score]
    /// N-grams that weighed most for the theme.
    var explanation: [Score]
    var categoryCode: String?
    var categoryName: String?
    var categoryConfidence: Double
    var categoryCandidates: [Score]
    /// What the rules saw (`装修→noise.renovation`, `negated 没有:施工→…`).
    var evidence: [String]
    var regionCode: String
    var regionName: String
    var locateMethod: String
    /// Regions the operator should choose between when the place names were ambiguous.
    var regionCandidates: [String]
    /// Place names found in the address and text.
    var places: [String]
    /// The router's suggestion (issue 10 §2), nil for records written without a router.
    var route: Route?
    /// What decided an automatic dispatch: `rules` or `router`; nil when triage queued the report.
    var decidedBy: HotlineTriageResult.DecidedBy?

    /// The router's suggestion as recorded: the label (router vocabulary), the CityNet unit kind it means, its
    /// probability 0…1, whether the router abstained, what decided it (`rule noise.construction (工地→…)` or
    /// `learned 工地 施工 …`), and up to three labels with their probabilities.
    struct Route: Codable, Equatable, Sendable {
        var label: String
        var unitKind: String?
        var confidence: Double
        var abstains: Bool
        var evidence: String
        /// ``evidence``'s decision as a catalogue message (``Hotline/RouteEvidence/message``), worded in the
        /// reader's language; nil for records written before it (the console then reads ``evidence``).
        var evidenceMessage: Message?
        /// The citizen's words ``evidence`` rests on, as typed (``Hotline/RouteEvidence/citizenWords``); nil for
        /// records written before it.
        var evidenceWords: [String]?
        var ranked: [Score]

        enum CodingKeys: String, CodingKey {
            case label, confidence, abstains, evidence, ranked
            case unitKind = "unit_kind", evidenceMessage = "evidence_message", evidenceWords = "evidence_words"
        }

        /// The suggestion as a dispatcher preference (source `router`, the label's level in `table`), whether or not
        /// the router abstained: for an operator who confirms it; nil for `other`.
        func preference(in table: RoutingTable) -> DispatchPreference? {
            guard let kind = unitKind.flatMap(UnitKind.init(rawValue:)) else { return nil }
            return DispatchPreference(
                kind: kind, source: "router", confidence: confidence, level: table.target(of: label)?.level)
        }

        init(_ suggestion: RouteSuggestion) {
            label = suggestion.label
            unitKind = suggestion.unitKind?.rawValue
            confidence = suggestion.confidence
            abstains = suggestion.abstains
            evidence = suggestion.evidence.description
            evidenceMessage = suggestion.evidence.message
            evidenceWords = suggestion.evidence.citizenWords
            ranked = suggestion.ranked.map { Score(label: $0.label, score: $0.score) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case outcome, reason, theme, themes, explanation, evidence, places
        case reasonMessage = "reason_message"
        case caseID = "case_id", unitCode = "unit_code", unitName = "unit_name", themeConfidence = "theme_confidence"
        case categoryCode = "category_code", categoryName = "category_name", categoryConfidence = "category_confidence"
        case categoryCandidates = "category_candidates", regionCode = "region_code", regionName = "region_name"
        case locateMethod = "locate_method", regionCandidates = "region_candidates", mergeReasons = "merge_reasons"
        case route, decidedBy = "decided_by"
    }

    init(_ result: HotlineTriageResult, located: LocatedRegion, reference: CityReference) {
        outcome = .pending
        theme = result.theme
        themeConfidence = result.themeConfidence
        themes = result.themes.map { Score(label: $0.label, score: $0.score) }
        explanation = result.explanation.map { Score(label: $0.feature, score: $0.weight) }
        // The category the case was opened under when triage dispatched (the general request for the router),
        // else the rules' best guess.
        if case .dispatch(let code) = result.decision {
            categoryCode = code
        } else {
            categoryCode = result.category.best
        }
        categoryName = categoryCode.flatMap { reference.taxonomy[$0]?.nameZh }
        categoryConfidence = result.category.confidence
        categoryCandidates = result.category.candidates.prefix(5).map { Score(label: $0.code, score: $0.score) }
        evidence = result.category.evidence
        regionCode = located.regionCode
        regionName = reference.hierarchy[located.regionCode]?.nameZh ?? located.regionCode
        locateMethod = located.method.rawValue
        regionCandidates = located.candidates
        places = result.place.mentions.map(\.text)
        route = result.route.map(Route.init)
        decidedBy = result.decidedBy
        if case .person(let why) = result.decision {
            reason = why.description
            reasonMessage = why.message
        }
    }

    /// Reads a record; `outcome` with its case fields (`case_id`, `unit_code`, `unit_name`, `merge_reasons`).
    /// - Throws: `DecodingError` for an unknown outcome, or a case outcome without `case_id` and `unit_code`.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let code = try c.decode(String.self, forKey: .outcome)
        func link() throws -> HotlineTriageOutcome.CaseLink {
            HotlineTriageOutcome.CaseLink(
                caseID: try c.decode(Int.self, forKey: .caseID), unitCode: try c.decode(String.self, forKey: .unitCode),
                unitName: try c.decodeIfPresent(String.self, forKey: .unitName))
        }
        switch code {
        case "pending": outcome = .pending
        case "queued": outcome = .queued
        case "dismissed": outcome = .dismissed
        case "dispatched": outcome = .dispatched(try link())
        case "merged":
            outcome = .merged(try link(), reasons: try c.decodeIfPresent([String].self, forKey: .mergeReasons) ?? [])
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .outcome, in: c, debugDescription: "unknown triage outcome '\(code)'")
        }
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        reasonMessage = try c.decodeIfPresent(Message.self, forKey: .reasonMessage)
        theme = try c.decode(String.self, forKey: .theme)
        themeConfidence = try c.decode(Double.self, forKey: .themeConfidence)
        themes = try c.decode([Score].self, forKey: .themes)
        explanation = try c.decode([Score].self, forKey: .explanation)
        categoryCode = try c.decodeIfPresent(String.self, forKey: .categoryCode)
        categoryName = try c.decodeIfPresent(String.self, forKey: .categoryName)
        categoryConfidence = try c.decode(Double.self, forKey: .categoryConfidence)
        categoryCandidates = try c.decode([Score].self, forKey: .categoryCandidates)
        evidence = try c.decode([String].self, forKey: .evidence)
        regionCode = try c.decode(String.self, forKey: .regionCode)
        regionName = try c.decode(String.self, forKey: .regionName)
        locateMethod = try c.decode(String.self, forKey: .locateMethod)
        regionCandidates = try c.decode([String].self, forKey: .regionCandidates)
        places = try c.decode([String].self, forKey: .places)
        route = try c.decodeIfPresent(Route.self, forKey: .route)
        decidedBy = try c.decodeIfPresent(HotlineTriageResult.DecidedBy.self, forKey: .decidedBy)
    }

    /// Writes the record with `outcome` flattened into it, in the field order of earlier versions.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let link = caseWithheld ? nil : outcome.caseLink
        try c.encode(outcome.code, forKey: .outcome)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(reasonMessage, forKey: .reasonMessage)
        try c.encodeIfPresent(link?.caseID, forKey: .caseID)
        try c.encodeIfPresent(link?.unitCode, forKey: .unitCode)
        try c.encodeIfPresent(link?.unitName, forKey: .unitName)
        try c.encode(theme, forKey: .theme)
        try c.encode(themeConfidence, forKey: .themeConfidence)
        try c.encode(themes, forKey: .themes)
        try c.encode(explanation, forKey: .explanation)
        try c.encodeIfPresent(categoryCode, forKey: .categoryCode)
        try c.encodeIfPresent(categoryName, forKey: .categoryName)
        try c.encode(categoryConfidence, forKey: .categoryConfidence)
        try c.encode(categoryCandidates, forKey: .categoryCandidates)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(regionCode, forKey: .regionCode)
        try c.encode(regionName, forKey: .regionName)
        try c.encode(locateMethod, forKey: .locateMethod)
        try c.encode(regionCandidates, forKey: .regionCandidates)
        try c.encode(places, forKey: .places)
        try c.encodeIfPresent(caseWithheld ? nil : outcome.mergeReasons, forKey: .mergeReasons)
        try c.encodeIfPresent(route, forKey: .route)
        try c.encodeIfPresent(decidedBy, forKey: .decidedBy)
    }

    /// JSON text for the `reports.triage` column.
    func stored() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    /// Reads the `reports.triage` column.
    static func read(_ text: String?) -> HotlineTriageRecord? {
        text.flatMap { try? JSONDecoder().decode(HotlineTriageRecord.self, from: Data($0.utf8)) }
    }
}

/// A hotline report with its triage, as `POST /api/v1/hotline/reports` and the triage queue return it.
struct HotlineReportDTO: Content {
    var id: Int
    var receivedAt: Date
    var channel: String?
    var text: String?
    var address: String?
    var triageState: HotlineTriageState?
    var caseID: Int?
    var triage: HotlineTriageRecord?

    enum CodingKeys: String, CodingKey {
        case id, channel, text, address, triage
        case receivedAt = "received_at", triageState = "triage_state", caseID = "case_id"
    }

    init(_ report: Report) {
        id = report.id ?? 0
        receivedAt = report.receivedAt
        channel = report.channel?.rawValue
        text = report.description
        address = report.address
        triageState = report.triageState
        caseID = report.caseID
        triage = HotlineTriageRecord.read(report.triage)
    }

    /// This report as `caller` may see it. A call an operator took in that merged into a case outside their scope
    /// says only `merged`: no case id, unit or merge reasons (which carry the text similarity), since that case is a
    /// 404 for them and belongs to other callers. A key of the 12345 system, the city's own hotline, sees every
    /// case and gets the whole answer; so does an operator for a merge inside their scope, and for a case made from
    /// the call itself (`dispatched`), which holds nothing but what they took in.
    /// - Parameters:
    ///   - report: the stored report this DTO was made from.
    func visible(to caller: HotlineCaller, report: Report, hierarchy: RegionHierarchy) -> HotlineReportDTO {
        guard let scope = caller.scope, case .merged = triage?.outcome, !scope.covers(report, in: hierarchy) else {
            return self
        }
        var answer = self
        answer.caseID = nil
        answer.triage?.caseWithheld = true
        return answer
    }
}
