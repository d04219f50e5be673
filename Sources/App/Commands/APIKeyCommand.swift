import Vapor

/// `citynet apikey create --name NAME` — creates an Open311 API key and prints it once.
struct APIKeyCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = ["create": CreateAPIKeyCommand()]
    var help: String { "Manage Open311 API keys" }
}

struct CreateAPIKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "Who the key is for, e.g. \"12345 hotline gateway\"")
        var name: String?
    }

    var help: String { "Create an Open311 API key; the key is printed once and only its SHA-256 is stored" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = signature.name else { throw CommandFailure("--name NAME is required") }
        let (key, secret) = try await Access.createAPIKey(name: name, on: context.application.db, now: Date())
        context.application.logger.notice("api key created", metadata: ["key_id": "\(key.id?.uuidString ?? "")", "name": "\(key.name)"])
        context.console.print(secret)
    }
}

/// A command-line usage error with a message for the operator.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
