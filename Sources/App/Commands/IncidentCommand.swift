import Foundation
import Vapor

/// `citynet incident simulate ferry` — replays the seed's ferry story (``FerrySimulation``) on the database CityNet
/// is pointed at (`--database PATH` or `DATABASE_URL`) and prints the measured times.
struct IncidentCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = ["simulate": IncidentSimulateCommand()]
    var help: String { "Joint incidents: replay a story through the product" }
}

struct IncidentSimulateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "story", help: "The story to replay: ferry")
        var story: String
    }

    var help: String { "Replay the seed's ferry story (gale alarm, plan, ~100 buses) and print the measured times" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.story == "ferry" else {
            throw CommandFailure("unknown story '\(signature.story)'; the one story is: ferry")
        }
        let app = context.application
        let report = try await FerrySimulation.run(app: app, now: app.clock.now())
        for line in report.lines { context.console.print(line) }
    }
}
