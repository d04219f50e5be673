import CityDomain
import Vapor

/// `GET /api/v1/search` — the console's search for programs (``SearchQueries``): operators only, scoped as the
/// desks are.
struct SearchController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("search", use: search)
    }

    /// One hit: a report and, when it became or joined one, its case.
    struct HitDTO: Content {
        var reportID: Int
        var receivedAt: Date
        var source: String
        var channel: String?
        var description: String?
        var address: String?
        var regionCode: String?
        var triageState: String?
        var caseID: Int?
        var caseState: String?
        var caseRegionCode: String?
        var caseUnitCode: String?
        var caseCategoryCode: String?
        var overdue: Bool

        enum CodingKeys: String, CodingKey {
            case source, channel, description, address, overdue
            case reportID = "report_id", receivedAt = "received_at", regionCode = "region_code"
            case triageState = "triage_state", caseID = "case_id", caseState = "case_state"
            case caseRegionCode = "case_region_code", caseUnitCode = "case_unit_code"
            case caseCategoryCode = "case_category_code"
        }

        init(_ hit: SearchQueries.Hit) {
            reportID = hit.reportID
            receivedAt = hit.receivedAt
            source = hit.source
            channel = hit.channel
            description = hit.description
            address = hit.address
            regionCode = hit.regionCode
            triageState = hit.triageState
            caseID = hit.caseID
            caseState = hit.caseState
            caseRegionCode = hit.caseRegion
            caseUnitCode = hit.caseUnit
            caseCategoryCode = hit.caseCategory
            overdue = hit.overdue
        }
    }

    struct ResponseDTO: Content {
        var kind: String
        var caseID: Int?
        var items: [HitDTO]
        var total: Int
        var totalExact: Bool
        var nextCursor: String?
        var phoneNotEntitled: Bool

        enum CodingKeys: String, CodingKey {
            case kind, items, total
            case caseID = "case_id", totalExact = "total_exact", nextCursor = "next_cursor"
            case phoneNotEntitled = "phone_not_entitled"
        }
    }

    /// `GET /api/v1/search?q=…` with the filters of ``SearchRequest/Parameters``: hits newest first; `case_id` when
    /// `q` names a case the caller may see (a case elsewhere or missing gives the same answer: absent).
    /// 400/403 with the message of ``SearchProblem``; 400 for a parameter given empty (`overdue=`).
    @Sendable func search(req: Request) async throws -> ResponseDTO {
        let scope = try req.auth.require(OperatorScope.self)
        // A program gives a parameter or leaves it out, as /openapi.json describes each: an empty one is refused
        // rather than read as absent (the console's form, which sends its empty fields, has its own page).
        let items = URLComponents(string: req.url.string)?.queryItems ?? []
        // (`q` has its own message for an empty search.)
        if let blank = items.first(where: {
            $0.name != "q" && ($0.value ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        }) {
            throw Abort(.badRequest, reason: "query parameter '\(blank.name)' is empty: leave it out or give a value")
        }
        let parameters = try req.decodeQuery(SearchRequest.Parameters.self)
        let request: SearchRequest
        do {
            request = try SearchRequest(parameters, scope: scope, reference: req.reference)
        } catch {
            throw error.abort
        }
        let result = try await SearchQueries.search(
            request, scope: scope, reference: req.reference, on: req.db, now: req.now)
        return ResponseDTO(
            kind: result.kind, caseID: result.caseID, items: result.hits.map(HitDTO.init), total: result.total,
            totalExact: result.totalExact, nextCursor: result.next.map(String.init),
            phoneNotEntitled: result.phoneNotEntitled)
    }
}
