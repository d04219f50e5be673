import Open311
import Vapor

/// Turns every error under `/open311/v2/` into the GeoReport v2 error body (`<errors>` or a JSON array) in the
/// format of the request's suffix (XML when the suffix is missing or unknown), with the matching HTTP status.
struct Open311ErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, to: request)
        }
    }

    /// The GeoReport v2 error response for `error` (a 500 for an error that carries no status, logged).
    static func response(for error: any Error, to request: Request) -> Response {
        let errors: [Open311Error]
        var headers = HTTPHeaders()
        switch error {
        case let error as Open311Error: errors = [error]
        case let error as Open311InputError:
            errors = error.errors.map { Open311Error(code: error.httpStatus, description: $0.description) }
        case let error as any AbortError:
            errors = [Open311Error(code: Int(error.status.code), description: error.reason)]
            headers = error.headers  // e.g. Allow on a 405
        default:
            request.logger.report(error: error)
            errors = [Open311Error(code: 500, description: "internal error; the request was not stored")]
        }
        let last = request.url.path.split(separator: "/").last.map(String.init) ?? ""
        let format = (try? Open311Format.split(pathComponent: last).format) ?? .xml
        headers.replaceOrAdd(name: .contentType, value: format.contentType)
        let status = HTTPResponseStatus(statusCode: errors.first?.code ?? 400)
        return Response(
            status: status, headers: headers,
            body: .init(data: Open311Encoder.encode(errors: errors, format: format)))
    }
}
