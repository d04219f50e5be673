import CityDomain
import Vapor

/// `POST /api/v1/sessions` (log in) and `DELETE /api/v1/sessions` (log out).
struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("sessions", use: login)
        routes.grouped(OperatorAuthenticator(), SessionGuard()).delete("sessions", use: logout)
    }

    struct LoginBody: Content {
        var username: String
        var password: String
    }

    struct SessionDTO: Content {
        var token: String
        var expiresAt: Date
        var username: String
        var role: String
        var unitCode: String
        var unitName: String
        var regionCode: String

        enum CodingKeys: String, CodingKey {
            case token, username, role
            case expiresAt = "expires_at", unitCode = "unit_code", unitName = "unit_name", regionCode = "region_code"
        }
    }

    /// 401 with one message for an unknown user, a wrong password or a disabled account.
    @Sendable func login(req: Request) async throws -> SessionDTO {
        let body = try req.decodeBody(LoginBody.self)
        guard let session = try await req.signIn(username: body.username, password: body.password),
            let unit = req.reference.units[session.account.unitCode]
        else { throw Abort(.unauthorized, reason: "invalid username or password") }
        req.logger.info("operator logged in", metadata: ["operator": "\(session.account.username)"])
        return SessionDTO(
            token: session.token, expiresAt: session.expiresAt, username: session.account.username,
            role: session.account.role.rawValue, unitCode: unit.code, unitName: unit.nameZh, regionCode: unit.regionCode
        )
    }

    @Sendable func logout(req: Request) async throws -> HTTPStatus {
        if let bearer = req.headers.bearerAuthorization {
            try await req.signOut(token: bearer.token)
        }
        return .noContent
    }
}
