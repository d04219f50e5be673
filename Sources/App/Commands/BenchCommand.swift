import Vapor

/// `citynet bench [NAME…] [--requests N] [--concurrency C]` — measures CityNet beside references taken in the
/// same run, because these machines are noisy. Run it from a release build (`swift run -c release citynet bench`).
///
/// Benchmarks (all by default):
/// - `classify`: the hotline classifier's training time and one-core classification rate on `--data` (default: the
///   labelled Teddy Cup messages in `../shared/data`).
/// - `intake`: Open311 POSTs through real HTTP on a fresh embedded SQLite file (report + case + dispatch + audit,
///   committed before the 201), beside a do-nothing HTTP endpoint on the same server; and the same intake called
///   in process beside a plain insert of the same report row.
/// - `apply`: government-service applications (one small PDF upload each) through real HTTP by a signed-in
///   citizen, beside the do-nothing endpoint (``ApplyBenchmark``).
///
/// - `ingest`: readings per second through the batch HTTP API (1,000 readings a batch, 4 in flight, alarm rules
///   on) on a fresh embedded SQLite file, beside raw SQLite inserts of the same rows batched the same way, in three
///   alternating rounds (medians; `--requests N` sends N/50 batches a round, at least 20); then the time from a
///   ponding reading over the threshold to its dispatched case (median and maximum of 30, one at a time).
///
/// - `scale` (only when named): issue #17's screens and lists on the database the command was given (`--database`
///   or `DATABASE_URL`, topped up to `--cases N` with seeded history), warm median and cold, beside a fresh 10,000
///   case database in the same run (``ScaleBenchmark``; `--runs R` warm requests each, default 7).
///
/// - `code` (only when named): personal status evaluations and code verifications per second, and a full
///   re-evaluation of `--population N` people (default 1,000,000) extrapolated to 25 million (``CodeBenchmark``).
///
/// Each result line: `bench <name> <value> <unit> reference <value> <unit>`.
struct BenchCommand: AnyAsyncCommand {
    var help: String { "Measure intake + dispatch throughput and latency beside same-run references" }

    static let known = ["intake", "apply", "classify", "ingest"]
    /// Benchmarks run only when named.
    static let onRequest = ["scale", "code"]
    /// The labelled Teddy Cup messages beside the project (see shared/data/teddy2020_gov_messages/PROVENANCE.md).
    static let defaultHotlineData = "../shared/data/teddy2020_gov_messages/messages_labelled_train.csv"

    func run(using context: inout CommandContext) async throws {
        var names: [String] = []
        var requests = 5000
        var concurrency = 16
        var data = Self.defaultHotlineData
        var cases: Int?
        var runs = 7
        var population = 1_000_000
        var arguments = context.input.arguments[...]
        while let argument = arguments.popFirst() {
            switch argument {
            case "--requests":
                guard let value = arguments.popFirst().flatMap(Int.init), value >= 100 else {
                    throw CommandFailure("--requests needs a number ≥ 100")
                }
                requests = value
            case "--concurrency":
                guard let value = arguments.popFirst().flatMap(Int.init), (1...256).contains(value) else {
                    throw CommandFailure("--concurrency needs a number 1…256")
                }
                concurrency = value
            case "--cases":
                guard let value = arguments.popFirst().flatMap(Int.init), (1...100_000_000).contains(value) else {
                    throw CommandFailure("--cases needs a number 1…100,000,000")
                }
                cases = value
            case "--runs":
                guard let value = arguments.popFirst().flatMap(Int.init), (1...1000).contains(value) else {
                    throw CommandFailure("--runs needs a number 1…1000")
                }
                runs = value
            case "--population":
                guard let value = arguments.popFirst().flatMap(Int.init), (1000...100_000_000).contains(value) else {
                    throw CommandFailure("--population needs a number 1,000…100,000,000")
                }
                population = value
            case "--data":
                guard let value = arguments.popFirst() else { throw CommandFailure("--data needs a CSV path") }
                data = value
            default:
                guard (Self.known + Self.onRequest).contains(argument) else {
                    throw CommandFailure(
                        "unknown benchmark '\(argument)'; known: \((Self.known + Self.onRequest).joined(separator: ", "))"
                    )
                }
                names.append(argument)
            }
        }
        if names.isEmpty { names = Self.known }
        #if DEBUG
            context.console.warning(
                "debug build: figures are not representative; use swift run -c release citynet bench")
        #endif
        for name in names {
            switch name {
            case "intake":
                let lines = try await IntakeBenchmark(requests: requests, concurrency: concurrency).run()
                for line in lines { context.console.print(line) }
            case "apply":
                let lines = try await ApplyBenchmark(requests: requests, concurrency: concurrency).run()
                for line in lines { context.console.print(line) }
            case "ingest":
                let bench = IngestBenchmark(
                    batchSize: 1000, batches: (max(20, requests / 50) + 3) / 4 * 4, concurrency: 4)
                for line in try await bench.run() { context.console.print(line) }
            case "scale":
                let console = context.console
                let lines = try await ScaleBenchmark(cases: cases, runs: runs).run(on: context.application) {
                    console.print($0)
                }
                for line in lines { console.print(line) }
            case "code":
                let console = context.console
                _ = try await CodeBenchmark(population: population).run { console.print($0) }
            case "classify":
                for line in try ClassifyBenchmark(dataPath: data, rounds: 4).run() { context.console.print(line) }
            default: break
            }
        }
    }

    func outputAutoComplete(using context: inout CommandContext) throws {}

    func outputHelp(using context: inout CommandContext) throws {
        context.console.print(
            "Usage: citynet bench [\((Self.known + Self.onRequest).joined(separator: "|"))…] [--requests N] [--concurrency C]"
                + " [--data FILE.csv] [--cases N] [--runs R] [--population N]"
        )
        context.console.print(help)
    }

    func renderCompletionFunctions(using context: CommandContext, shell: Shell) -> String { "" }
}
