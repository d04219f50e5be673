import Fluent
import Vapor

/// `citynet apikey create|list|revoke` — Open311 API keys.
struct APIKeyCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "create": CreateAPIKeyCommand(), "list": ListAPIKeysCommand(), "revoke": RevokeAPIKeyCommand(),
    ]
    var help: String { "Manage API keys (Open311 clients, the 12345 gateway)" }
}

struct CreateAPIKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "Who the key is for, e.g. \"12345 hotline gateway\" (unique among live keys)")
        var name: String?
        @Option(
            name: "scope",
            help: "What the key may do: open311 (default), hotline, readings, or several, e.g. open311,hotline")
        var scope: String?
        @Option(name: "unit", help: "For --scope readings: the unit whose sensors the key may send readings for")
        var unit: String?
        @Option(name: "region", help: "For --scope readings: the region (and below) whose sensors the key may send for")
        var region: String?
    }

    var help: String { "Create an API key; the key is printed once and only its SHA-256 is stored" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = signature.name else { throw CommandFailure("--name NAME is required") }
        let (scopes, unknown) = APIKeyScope.parse(signature.scope ?? APIKeyScope.open311.rawValue)
        guard unknown.isEmpty, !scopes.isEmpty else {
            throw CommandFailure(
                "--scope must be open311, hotline, readings or several of them; got '\(signature.scope ?? "")'")
        }
        let reference = context.application.reference
        var area: ReadingArea?
        switch (signature.unit, signature.region) {
        case (let unit?, nil):
            guard reference.units[unit] != nil else { throw CommandFailure("unknown unit '\(unit)'") }
            area = .unit(unit)
        case (nil, let region?):
            guard reference.hierarchy[region] != nil else { throw CommandFailure("unknown region '\(region)'") }
            area = .region(region)
        case (nil, nil): area = nil
        case (_?, _?): throw CommandFailure("give --unit or --region, not both")
        }
        let readingArea = area
        let (key, secret) = try await context.application.writeGate.exclusive { db in
            try await Access.createAPIKey(name: name, scopes: scopes, readingArea: readingArea, on: db, now: Date())
        }
        context.application.logger.notice(
            "api key created", metadata: ["key_id": "\(key.id?.uuidString ?? "")", "name": "\(key.name)"])
        context.console.print(secret)
    }
}

struct ListAPIKeysCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List API keys by name, creation time and state (keys themselves are never stored)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let keys = try await APIKey.query(on: context.application.db).sort(\.$createdAt).all()
        for key in keys {
            context.console.print(
                "\(key.name)\t\(key.scopes.stored)\t\(Timestamps.format(key.createdAt))\t\(key.revoked ? "revoked" : "live")"
            )
        }
        if keys.isEmpty { context.console.print("no API keys; create one with: citynet apikey create --name NAME") }
    }
}

struct RevokeAPIKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "Name of the key to revoke")
        var name: String?
    }

    var help: String { "Revoke the live API key with this name (refused within a minute on running servers)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = signature.name else { throw CommandFailure("--name NAME is required") }
        let db = context.application.db
        let live = try await APIKey.query(on: db).filter(\.$name == name).filter(\.$revoked == false).count()
        guard live > 0 else { throw CommandFailure("no live API key named '\(name)' (see citynet apikey list)") }
        try await context.application.writeGate.exclusive { db in
            try await APIKey.query(on: db).filter(\.$name == name).set(\.$revoked, to: true).update()
        }
        context.application.logger.notice("api key revoked", metadata: ["name": "\(name)"])
        context.console.print("revoked \(live) key(s) named \(name)")
    }
}

/// A command-line usage error with a message for the operator.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
