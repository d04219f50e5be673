import Vapor

/// `citynet seed-history --cases N [--days D] [--seed S]` — adds N generated cases spread over the last D days
/// (default 730, two years) to the database the other flags choose (`--database PATH` or `DATABASE_URL`), through
/// ``HistorySeed``; prints progress and what it wrote.
struct SeedHistoryCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cases", help: "How many cases to add (1…100,000,000)")
        var cases: Int?
        @Option(name: "days", help: "The span of history in days, ending now (default 730)")
        var days: Int?
        @Option(name: "seed", help: "Random seed (default 17); the same seed gives the same history")
        var seed: Int?
    }

    var help: String { "Add a realistic generated case history (for measuring at scale; stop the server first)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let cases = signature.cases, (1...100_000_000).contains(cases) else {
            throw CommandFailure("--cases needs a number 1…100,000,000")
        }
        let days = signature.days ?? 730
        guard (1...7300).contains(days) else { throw CommandFailure("--days needs a number 1…7300") }
        let app = context.application
        let started = ContinuousClock.now
        let console = context.console
        let summary = try await HistorySeed.run(
            cases: cases, days: days, seed: UInt64(max(0, signature.seed ?? 17)), reference: app.reference,
            gate: app.writeGate, now: app.clock.now()
        ) { done in
            let seconds = (ContinuousClock.now - started).seconds
            console.print("seeded \(done) of \(cases) cases (\(Int(Double(done) / max(seconds, 0.001))) cases/s)")
        }
        let seconds = (ContinuousClock.now - started).seconds
        console.print(
            "seeded \(summary.cases) cases with \(summary.events) audit events in \(String(format: "%.1f", seconds)) s")
    }
}
