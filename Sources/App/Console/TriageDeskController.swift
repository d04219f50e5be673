import CityDomain
import Fluent
import Vapor

/// The triage desk: `GET /console/triage` lists hotline reports the classifier was unsure of; one click dispatches
/// one under a category (kept as a training example) or dismisses it (`POST /console/triage/:id`).
struct TriageDeskController {
    struct TriagePage: Encodable {
        var page: ConsolePage
        var items: [HotlineReportDTO]
        var categories: [[String: String]]
        /// Districts and streets/towns of the operator's scope, as the region field offers them.
        var regions: [String]
    }

    /// How the region field names a region: `黄浦区` for a district, `黄浦区 南京东路街道` for a street or town (the
    /// district first, since street names repeat across districts).
    static func regionLabel(_ region: Region, hierarchy: RegionHierarchy, language: DisplayLanguage) -> String {
        guard region.level == .street, let district = hierarchy.ancestor(of: region.code, at: .district) else {
            return region.name(in: language)
        }
        return "\(district.name(in: language)) \(region.name(in: language))"
    }

    /// The regions the field offers: the districts and streets/towns inside the operator's scope.
    static func fieldRegions(_ scope: OperatorScope, hierarchy: RegionHierarchy) -> [Region] {
        hierarchy.subtree(of: scope.regionCode).compactMap { hierarchy[$0] }
            .filter { $0.level == .district || $0.level == .street }
    }

    /// The region the field names: a code, or a label of ``regionLabel(_:hierarchy:language:)`` in either
    /// language, or a street or district name that only one region has.
    /// - Throws: 400 naming the text when no single region inside the scope matches.
    static func region(named text: String, scope: OperatorScope, hierarchy: RegionHierarchy) throws -> String {
        if hierarchy[text] != nil { return text }
        let matches = fieldRegions(scope, hierarchy: hierarchy).filter { region in
            [DisplayLanguage.zh, .en].contains { regionLabel(region, hierarchy: hierarchy, language: $0) == text }
                || region.nameZh == text || region.nameEn == text
        }
        guard matches.count == 1, let match = matches.first else {
            throw Abort(
                .badRequest,
                reason: matches.isEmpty
                    ? "no district, street or town called '\(text)' in your area; choose one from the list"
                    : "'\(text)' names \(matches.count) places; choose one from the list (it names the district too)")
        }
        return match.code
    }

    @Sendable func list(req: Request) async throws -> View {
        let scope = try req.triager()
        let reference = req.reference
        let items = try await TriageQueries.queue(scope: scope, reference: reference, on: req.db, limit: 100)
            .map(HotlineReportDTO.init)
        let language = ConsoleText.language(req)
        let hierarchy = reference.hierarchy
        let regions = Self.fieldRegions(scope, hierarchy: hierarchy)
            .map { Self.regionLabel($0, hierarchy: hierarchy, language: language) }
        let categories = reference.taxonomy.all.filter(reference.isService).map {
            ["code": $0.code, "name": $0.name(in: language)]
        }
        return try await req.view.render(
            "console/triage",
            TriagePage(
                page: ConsolePage(req, title: "triage", active: "triage"), items: items, categories: categories,
                regions: regions))
    }

    /// Applies the form's ``TriageDecision`` (the region field may name the region, see
    /// ``region(named:scope:hierarchy:)``) and comes back to the queue with the outcome.
    @Sendable func decide(req: Request) async throws -> Response {
        var body = try req.content.decode(TriageDecision.self)
        body.categoryCode = body.categoryCode.nonBlank
        body.note = body.note.nonBlank
        let id = req.parameters.get("reportID") ?? ""
        do {
            if let text = body.regionCode.nonBlank {
                body.regionCode = try Self.region(
                    named: text, scope: try req.triager(), hierarchy: req.reference.hierarchy)
            } else {
                body.regionCode = nil
            }
            let report = HotlineReportDTO(try await req.decideTriage(body))
            let outcome =
                report.caseID.map { "→ \(ConsoleText.table(ConsoleText.language(req))["case"] ?? "case") #\($0)" }
                ?? (report.triageState?.rawValue ?? "")
            return req.consoleRedirect("/console/triage", ok: "#\(report.id) \(outcome)")
        } catch let error as any AbortError where error.status != .internalServerError {
            // Back to the report the message is about, not the top of a long queue.
            return req.consoleRedirect("/console/triage#report-\(id)", error: "#\(id): \(error.reason)")
        }
    }
}
