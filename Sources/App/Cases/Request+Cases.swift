import CityDomain
import Vapor

extension Request {
    /// The case named by the `caseID` path parameter if `scope` may see it (the API's and the console's case
    /// routes).
    /// - Throws: 400 when the parameter is not an integer; 404 when the case does not exist or lies outside the
    ///   scope (answered alike).
    func visibleCase(scope: OperatorScope) async throws -> Case {
        guard let id = parameters.get("caseID", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "case.id_not_integer")
        }
        guard let record = try await CaseQueries.visible(id, scope: scope, reference: reference, on: db) else {
            throw LocalizedRefusal(.notFound, "case.not_found", ["id": "\(id)"])
        }
        return record
    }

    /// Splits the report named by the `reportID` path parameter off the case named by `caseID` into a new case (the
    /// API's split and the console case page's): only operations centres may, as they triage.
    /// - Parameters:
    ///   - note: why the report is not this case (required; kept in both audit trails).
    ///   - categoryCode: the new case's category; nil keeps the old case's.
    /// - Returns: the new case, dispatched as a fresh intake.
    /// - Throws: 403 for a caseworker or grid worker; 400 for a blank or overlong note or a report id that is not an
    ///   integer; 404 when the case lies outside the scope; then as ``CaseSplit/split(reportID:from:categoryCode:note:by:reference:db:gate:now:)``.
    func splitReport(scope: OperatorScope, note: String, categoryCode: String?) async throws -> Case {
        guard scope.worksForACentre else {
            throw LocalizedRefusal(.forbidden, "split.not_allowed", ["role": scope.role.rawValue])
        }
        try TextRules.validate(note, field: "note", maxLength: 2000, allowEmpty: false)
        guard let reportID = parameters.get("reportID", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "report.id_not_integer")
        }
        let record = try await visibleCase(scope: scope)
        let created = try await CaseSplit.split(
            reportID: reportID, from: record, categoryCode: categoryCode, note: note, by: scope.actor,
            reference: reference, db: db, gate: application.writeGate, now: now)
        logger.info(
            "report split off",
            metadata: [
                "case_id": "\(record.id ?? 0)", "report_id": "\(reportID)",
                "new_case_id": "\(created.id ?? 0)", "actor": "\(scope.username)",
            ])
        return created
    }

    /// The photo named by `photoID` of the case named by `caseID`, if the operator may see the case: the bytes
    /// with their content type, `nosniff`, a sandboxing CSP, a strong ETag (the SHA-256; `If-None-Match` with it
    /// answers 304) and private caching (photos never change). 404 outside scope, for another case's photo or an
    /// unknown id; 400 for an id that is not a UUID.
    func casePhotoResponse(scope: OperatorScope) async throws -> Response {
        let record = try await visibleCase(scope: scope)
        guard let photoID = parameters.get("photoID", as: UUID.self) else {
            throw LocalizedRefusal(.badRequest, "photo.id_not_uuid")
        }
        guard let caseID = record.id, let photo = try await CaseQueries.photo(photoID, caseID: caseID, on: db) else {
            throw LocalizedRefusal(.notFound, "photo.not_found", ["id": "\(photoID)", "case": "\(record.id ?? 0)"])
        }
        let etag = "\"\(photo.sha256)\""
        let unchanged = headers[.ifNoneMatch].contains {
            $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
        }
        let response = Response(
            status: unchanged ? .notModified : .ok, body: unchanged ? .empty : .init(data: photo.data))
        let parts = photo.contentType.split(separator: "/").map(String.init)
        response.headers.contentType = HTTPMediaType(type: parts.first ?? "image", subType: parts.last ?? "jpeg")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400, immutable")
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        return response
    }
}
