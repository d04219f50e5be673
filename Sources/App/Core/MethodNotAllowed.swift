import Vapor

/// Answers a request for a path that exists, but not under the request's method, with 405 Method Not Allowed and an
/// `Allow` header naming the methods it has (RFC 9110 §15.5.6), instead of Vapor's 404; `OPTIONS` on such a path
/// answers 204 with the same header (RFC 9110 §9.3.7). A path no route has stays a 404.
///
/// Catch-all routes (`**`) are left out of the comparison: the console's and Open311's catch-alls turn unknown
/// addresses into their own 404 pages, and Open311 answers its 405s itself (``Open311Controller``).
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as RouteNotFound {
            let allowed = Self.methods(of: request.url.path, in: request.application.routes)
            guard !allowed.isEmpty else { throw error }
            let allow = allowed.joined(separator: ", ")
            if request.method == .OPTIONS {
                return Response(status: .noContent, headers: ["Allow": allow])
            }
            throw Abort(
                .methodNotAllowed, headers: ["Allow": allow],
                reason:
                    "\(request.method) is not allowed on \(request.url.path); use \(allowed.joined(separator: " or "))")
        }
    }

    /// The methods routes are registered for at `path` (catch-all routes aside), GET first, then in the order of
    /// RFC 9110 §9.3; empty when no route has the path.
    static func methods(of path: String, in routes: Routes) -> [String] {
        let parts = path.split(separator: "/").map(String.init)
        var found: Set<String> = []
        for route in routes.all where matches(route.path, parts, caseInsensitive: routes.caseInsensitive) {
            found.insert(route.method.rawValue)
        }
        let order = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
        return found.sorted {
            (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1)
        }
    }

    /// Whether a route's path (as Vapor's router reads it: empty constants dropped) takes `parts`; never for a
    /// catch-all route.
    private static func matches(_ pattern: [PathComponent], _ parts: [String], caseInsensitive: Bool) -> Bool {
        let pattern = pattern.filter { $0 != .constant("") }
        guard pattern.count == parts.count else { return false }
        for (component, part) in zip(pattern, parts) {
            switch component {
            case .constant(let text):
                let same = caseInsensitive ? text.lowercased() == part.lowercased() : text == part
                if !same { return false }
            case .parameter, .anything: continue
            case .catchall: return false
            }
        }
        return true
    }
}
