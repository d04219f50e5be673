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
            throw matches.isEmpty
                ? LocalizedRefusal(.badRequest, "triage.no_place", ["text": text])
                : LocalizedRefusal(.badRequest, "triage.many_places", ["text": text, "n": "\(matches.count)"])
        }
        return match.code
    }

    /// `GET /console/triage` — one page of the queue (``TriageDeskPage``): `category` picks a suggested-category
    /// tab, `after` / `before` a report id the page starts after / ends before.
    @Sendable func list(req: Request) async throws -> View {
        let scope = try req.triager()
        let filter = TriageQueries.CategoryFilter(parameter: req.query[String.self, at: "category"])
        let page = try await TriageDeskPage.load(
            req, scope: scope, filter: filter, after: req.query[Int.self, at: "after"],
            before: req.query[Int.self, at: "before"])
        return try await req.view.render("console/triage", page)
    }

    /// Where the desk's forms came from: the tab, the report the page starts after, and the report following the
    /// one decided (hidden fields `category`, `after`, `next`).
    struct Return: Content {
        var category: String?
        var after: Int?
        var next: Int?

        /// The same tab and page, at the next report (or at `report` when the decision was refused).
        func href(at report: Int? = nil) -> String {
            TriageDeskPage.href(category: category, after: after, fragment: report ?? next)
        }
    }

    /// Applies the form's ``TriageDecision`` (the region field may name the region, see
    /// ``region(named:scope:hierarchy:)``) and comes back to the same tab and page, at the next report.
    @Sendable func decide(req: Request) async throws -> Response {
        var body = try req.content.decode(TriageDecision.self)
        let back = (try? req.content.decode(Return.self)) ?? Return()
        body.categoryCode = body.categoryCode.nonBlank
        body.note = body.note.nonBlank
        let id = req.parameters.get("reportID") ?? ""
        let words = ConsoleText.table(ConsoleText.language(req))
        do {
            if let text = body.regionCode.nonBlank {
                body.regionCode = try Self.region(
                    named: text, scope: try req.triager(), hierarchy: req.reference.hierarchy)
            } else {
                body.regionCode = nil
            }
            let report = HotlineReportDTO(try await req.decideTriage(body))
            let outcome =
                report.caseID.map { "→ \(words["case"] ?? "case") #\($0)" }
                ?? (report.triageState == .dismissed ? words["dismissed"] ?? "" : report.triageState?.rawValue ?? "")
            return req.consoleRedirect(back.href(), ok: "#\(report.id) \(outcome)")
        } catch let error as any AbortError where error.status != .internalServerError {
            // Back to the report the message is about, not the top of a long queue.
            return req.consoleRedirect(back.href(at: Int(id)), error: "#\(id): \(req.refusalText(error))")
        }
    }
}
