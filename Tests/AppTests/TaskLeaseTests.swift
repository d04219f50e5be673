import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// Background loops on several nodes: each pass runs on one node (``TaskLease``). The two-node tests need
/// PostgreSQL (`TEST_DATABASE_URL`); SQLite is one node, where the lease is always held.
@Suite struct TaskLeaseTests {
    @Test func aSingleNodeHoldsEveryLease() async throws {
        try await TestApp.withApp { app, _ in
            #expect(await app.taskLease.hold("escalation sweep"))
            #expect(await app.taskLease.hold("escalation sweep"))  // still held at the next pass
            #expect(await app.taskLease.hold("hotline recovery"))
            #expect((app.taskLease is AdvisoryLease) == (TestNodes.postgresURL != nil))
        }
    }

    @Test(.enabled(if: TestNodes.postgresURL != nil))
    func onlyOneOfTwoNodesRunsEachPassAndTheOtherTakesOverWhenItStops() async throws {
        let interval = 0.1
        try await TestNodes.with(2) { nodes in
            let passes = NIOLockedValueBox<[(node: Int, at: ContinuousClock.Instant)]>([])
            for (index, node) in nodes.enumerated() {
                node.lifecycle.use(
                    PeriodicTask(name: "test loop", interval: interval, startsAtOnce: true) { _, _ in
                        passes.withLockedValue { $0.append((index, .now)) }
                    })
                try await node.asyncBoot()
            }
            // Until five passes have run (the first ones wait for the lease connections on a loaded machine), and
            // ten intervals more in which both nodes ask for the lease.
            for _ in 0..<300 where passes.withLockedValue({ $0.count }) < 5 {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(10 * interval))
            let first = passes.withLockedValue { $0 }
            let runners = Set(first.map(\.node))
            #expect(first.count >= 5)
            #expect(runners.count == 1)  // one node ran every pass
            let holder = try #require(runners.first)

            try await nodes[holder].asyncShutdown()
            let stopped = ContinuousClock.now
            let other = 1 - holder
            for _ in 0..<200 where !passes.withLockedValue({ $0.contains { $0.node == other } }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let takeover = try #require(passes.withLockedValue { $0.first { $0.node == other } })
            // Within the bound: one interval after the lock was freed, plus scheduling slack on a loaded machine.
            #expect(takeover.at - stopped < .seconds(interval + 5))
        }
    }

    @Test(.enabled(if: TestNodes.postgresURL != nil))
    func aHolderWhoseConnectionDiesRunsNoPassAndAnotherNodeTakesTheLease() async throws {
        try await TestNodes.with(2) { nodes in
            let (a, b) = (try #require(nodes[0].taskLease as? AdvisoryLease), nodes[1].taskLease)
            #expect(await a.hold("test loop"))
            #expect(!(await b.hold("test loop")))
            #expect(await a.hold("test loop"))

            // The holder's session ends as it would if its process died or its host went silent.
            let pid = try #require(await a.backendPID)
            try await (nodes[1].db as! any SQLDatabase).raw("SELECT pg_terminate_backend(\(bind: pid))").run()
            var taken = false
            for _ in 0..<40 where !taken {
                taken = await b.hold("test loop")
                if !taken { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(taken)
            #expect(!(await a.hold("test loop")))  // its check fails: no pass on a lost lease
            #expect(!(await a.hold("test loop")))  // reconnected: the other node holds it now
            #expect(await b.hold("test loop"))
        }
    }

    @Test(.enabled(if: TestNodes.postgresURL != nil))
    func leasesInDifferentSchemasDoNotContend() async throws {
        try await TestNodes.with(1) { first in
            try await TestNodes.with(1) { second in
                #expect(await first[0].taskLease.hold("test loop"))
                #expect(await second[0].taskLease.hold("test loop"))
            }
        }
    }

    @Test func lockKeysDependOnSchemaAndName() {
        let key = AdvisoryLease.key(schema: "public", name: "escalation sweep")
        #expect(key == AdvisoryLease.key(schema: "public", name: "escalation sweep"))
        #expect(key != AdvisoryLease.key(schema: "city_b", name: "escalation sweep"))
        #expect(key != AdvisoryLease.key(schema: "public", name: "hotline recovery"))
    }
}
