import CityDomain
import Vapor

/// The triage desk's forwarding (转办) and bulk forms (issue #12 §3); each comes back to the same tab and page with
/// the outcome in the operator's language.
struct TriageDeskActions {
    /// The bulk form: the ticked reports (`report_ids[]`), `action` (`dismiss` or `categorise`), the note or the
    /// category.
    struct BulkForm: Content {
        var reportIDs: [Int]?
        var action: String?
        var note: String?
        var categoryCode: String?

        enum CodingKeys: String, CodingKey {
            case action, note
            case reportIDs = "report_ids", categoryCode = "category_code"
        }
    }

    /// `POST /console/triage/:reportID/forward` — a ``TriageForward`` from the row's forward form.
    @Sendable func forward(req: Request) async throws -> Response {
        let body = try req.content.decode(TriageForward.self)
        let back = (try? req.content.decode(TriageDeskController.Return.self)) ?? .init()
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let id = req.parameters.get("reportID") ?? ""
        do {
            let report = HotlineReportDTO(try await req.forwardTriage(body))
            let unit = report.triage?.outcome.caseLink.map { req.reference.unitName($0.unitCode, in: language) } ?? ""
            let message = (words["forwarded_to"] ?? "{unit}").replacingOccurrences(of: "{unit}", with: unit)
            let link = report.caseID.map { " → \(words["case"] ?? "case") #\($0)" } ?? ""
            return req.consoleRedirect(back.href(), ok: "#\(report.id) \(message)\(link)")
        } catch let error as any AbortError where error.status != .internalServerError {
            return req.consoleRedirect(back.href(at: Int(id)), error: "#\(id): \(req.refusalText(error))")
        }
    }

    /// `POST /console/triage/bulk` — a ``TriageBulk`` from the ticked rows; back to the same tab and page.
    @Sendable func bulk(req: Request) async throws -> Response {
        let form = try req.content.decode(BulkForm.self)
        let back = (try? req.content.decode(TriageDeskController.Return.self)) ?? .init()
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let dismiss = form.action == "dismiss"
        let bulk = TriageBulk(
            reportIDs: form.reportIDs, dismiss: dismiss ? true : nil, note: form.note.nonBlank,
            categoryCode: dismiss ? nil : form.categoryCode.nonBlank)
        do {
            let result = try await req.bulkTriage(bulk)
            var message = (words["bulk_decided"] ?? "{n}").replacingOccurrences(of: "{n}", with: "\(result.decided)")
            if !result.conflicts.isEmpty {
                message +=
                    "; "
                    + (words["bulk_conflicts"] ?? "{ids}").replacingOccurrences(
                        of: "{ids}", with: result.conflicts.map { "#\($0)" }.joined(separator: ", "))
            }
            let refused = result.results.filter { $0.outcome == .refused || $0.outcome == .notFound }
            if !refused.isEmpty {
                message +=
                    "; "
                    + (words["bulk_refused"] ?? "{ids}").replacingOccurrences(
                        of: "{ids}", with: refused.map { "#\($0.reportID)" }.joined(separator: ", "))
            }
            return req.consoleRedirect(back.href(), ok: message)
        } catch let error as any AbortError where error.status != .internalServerError {
            return req.consoleRedirect(back.href(), error: req.refusalText(error))
        }
    }
}
