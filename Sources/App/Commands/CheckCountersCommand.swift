import Vapor

/// `citynet check-counters [--repair]` — recomputes the case counters (``CaseCounters``) and the daily rollups of the
/// window measures (``CaseDayCounts``) from every case and compares them with the stored ones: prints each row that
/// differs and fails (exit status 1) on any drift; with `--repair`, replaces the stored counters and rollups with the
/// recount afterwards (through the write gate, one transaction).
struct CheckCountersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "repair", help: "Replace the stored counters with the recount when they drifted")
        var repair: Bool
    }

    var help: String { "Recount the case counters and daily rollups behind the city screen and report drift" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        // Read both inside one write transaction, so that no case changes between the two reads.
        let drift = try await app.writeGate.exclusive { db in
            let sql = try db.sql()
            let counters = CaseCounters.drift(
                stored: try await CaseCounters.stored(on: sql), recounted: try await CaseCounters.recount(on: sql))
            let days = CaseDayCounts.drift(
                stored: try await CaseDayCounts.stored(on: sql), recounted: try await CaseDayCounts.recount(on: sql))
            return counters + days
        }
        for line in drift { context.console.print("drift \(line)") }
        guard !drift.isEmpty else {
            context.console.print("case counters and daily rollups agree with the cases")
            return
        }
        if signature.repair {
            try await app.writeGate.exclusive { db in try await CaseCounters.rebuild(on: db.sql()) }
            context.console.print("case counters and daily rollups rebuilt from the cases")
        }
        throw CommandFailure("\(drift.count) counter rows drifted" + (signature.repair ? " (repaired)" : ""))
    }
}
