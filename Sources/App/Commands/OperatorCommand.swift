import CityDomain
import Fluent
import Vapor

/// `citynet operator create|list|disable` — operator accounts.
struct OperatorCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "create": CreateOperatorCommand(), "list": ListOperatorsCommand(), "disable": DisableOperatorCommand(),
    ]
    var help: String { "Manage operator accounts" }
}

struct CreateOperatorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "Login name: 3–64 letters, digits, '.', '_' or '-'")
        var username: String?
        @Option(name: "unit", help: "Unit code, e.g. 310115.operations_centre (see GET /api/v1/units)")
        var unit: String?
        @Option(
            name: "role",
            help: "city_operator, district_operator, street_operator, caseworker, grid_worker or administrator")
        var role: String?
        @Option(name: "password", help: "Password (10–128 characters); read from standard input when omitted")
        var password: String?
    }

    var help: String { "Create an operator who belongs to a unit and holds a role" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let username = signature.username else { throw CommandFailure("--username is required") }
        guard let unit = signature.unit else { throw CommandFailure("--unit is required") }
        let roles = OperatorRole.allCases.map(\.rawValue).joined(separator: ", ")
        guard let roleName = signature.role else { throw CommandFailure("--role is required: one of \(roles)") }
        guard let role = OperatorRole(rawValue: roleName) else {
            throw CommandFailure("unknown role '\(roleName)': one of \(roles)")
        }
        let password: String
        if let given = signature.password {
            password = given
        } else {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure("no password: give --password or write it on standard input")
            }
            password = line
        }
        let app = context.application
        let reference = app.reference
        let account = try await app.writeGate.exclusive { db in
            try await Access.createOperator(
                username: username, password: password, unitCode: unit, role: role, reference: reference, on: db,
                now: Date())
        }
        app.logger.notice(
            "operator created", metadata: ["operator": "\(account.username)", "unit": "\(unit)", "role": "\(roleName)"])
        let unitName = app.reference.units[unit].map { "\($0.nameZh), " } ?? ""
        context.console.print("created operator \(account.username) (\(role.rawValue)) in \(unitName)\(unit)")
    }
}

struct ListOperatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List operators with their unit, role and state" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let accounts = try await Operator.query(on: context.application.db).sort(\.$username).all()
        for account in accounts {
            context.console.print(
                "\(account.username)\t\(account.unitCode)\t\(account.role.rawValue)\t\(account.disabled ? "disabled" : "active")"
            )
        }
        if accounts.isEmpty { context.console.print("no operators; create one with: citynet operator create --help") }
    }
}

struct DisableOperatorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "The operator to disable")
        var username: String?
    }

    var help: String { "Disable an operator and end their sessions (the account and its audit trail stay)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let username = signature.username else { throw CommandFailure("--username is required") }
        let db = context.application.db
        guard let account = try await Operator.query(on: db).filter(\.$username == username).first() else {
            throw CommandFailure("no operator named '\(username)' (see citynet operator list)")
        }
        account.disabled = true
        let id = try account.requireID()
        try await context.application.writeGate.exclusive { [account] db in
            try await account.save(on: db)
            try await SessionToken.query(on: db).filter(\.$operatorID == id).delete()
        }
        context.application.logger.notice("operator disabled", metadata: ["operator": "\(username)"])
        context.console.print("disabled \(username); their sessions are ended")
    }
}
