import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The parts of `citynet bench scale` that decide its figures: the percentile, the lines, the triage backlog.
@Suite struct ScaleBenchmarkTests {
    @Test func percentilesAreNearestRank() {
        let values = (1...100).map(Double.init).shuffled()
        #expect(ScaleBenchmark.percentile(values, 0.5) == 50)
        #expect(ScaleBenchmark.percentile(values, 0.99) == 99)
        #expect(ScaleBenchmark.percentile([7, 3, 5], 0.5) == 5)
        #expect(ScaleBenchmark.percentile([4], 0.99) == 4)
        #expect(ScaleBenchmark.percentile([], 0.5) == 0)
    }

    @Test func loadLinesStandBesideTheirReference() {
        let big = ScaleBenchmark.Load(detailMedian: 12.34, detailP99: 40, failures: 0, intakeP99: 31.5, intakeRate: 80)
        let small = ScaleBenchmark.Load(detailMedian: 5, detailP99: 9.96, failures: 2, intakeP99: 20, intakeRate: 90.25)
        #expect(
            ScaleBenchmark.loadLines(big, reference: small) == [
                "bench scale_load_case_detail_median 12.3 ms reference 5.0 ms",
                "bench scale_load_case_detail_p99 40.0 ms reference 10.0 ms",
                "bench scale_load_failures 0 responses reference 2 responses",
                "bench scale_intake_p99 31.5 ms reference 20.0 ms",
                "bench scale_intake_throughput 80.0 calls/s reference 90.2 calls/s",
            ])
    }

    /// The backlog is made by the hotline's own intake: the reports wait in the queue, each with its suggestion.
    @Test func theTriageBacklogIsFedThroughTheHotline() async throws {
        try await TestApp.withApp { app, _ in
            let waiting = try await ScaleBenchmark.fillTriageQueue(app, target: 12) { _ in }
            #expect(waiting >= 12)
            let queued = try await Report.query(on: app.db).filter(\.$triageState == .queued).all()
            #expect(queued.count == waiting)
            #expect(queued.allSatisfy { $0.source == .hotline && $0.caseID == nil && $0.triage != nil })
            // A second call with the queue already full feeds nothing.
            let before = try await Report.query(on: app.db).count()
            #expect(try await ScaleBenchmark.fillTriageQueue(app, target: 12) { _ in } == waiting)
            #expect(try await Report.query(on: app.db).count() == before)
        }
    }
}
