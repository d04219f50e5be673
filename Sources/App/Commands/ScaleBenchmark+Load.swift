import AsyncHTTPClient
import CityDomain
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Issue #17's load targets, measured by ``ScaleBenchmark`` on each database it measures: a case detail read while
/// eight wall screens refresh (target: under 50 ms, nothing answering 5xx), and 12345 hotline intake with its
/// duplicate check on (target: p99 under 50 ms; throughput at scale within 20 % of the reference's).
extension ScaleBenchmark {
    /// The load figures of one database.
    struct Load: Sendable {
        /// Case detail (`GET /api/v1/cases/{id}`) while the wall screens refresh: median and 99th percentile, ms.
        var detailMedian: Double
        var detailP99: Double
        /// Responses with a 5xx status or no answer, over every request of the wall screens and the reads.
        var failures: Int
        /// Hotline intake (`POST /api/v1/hotline/reports`) by two callers at once: 99th percentile (ms) and calls/s.
        var intakeP99: Double
        var intakeRate: Double
    }

    /// Wall screens open at once.
    static let wallScreens = 8
    /// Case detail reads measured under the screens' load.
    static let detailReads = 100
    /// Hotline calls per caller, two callers.
    static let intakeCalls = 150

    /// Eight wall screens each refresh `/console/summary` and `/console/attention` once a second (the most the live
    /// city screen asks: it batches live events per second) while case details are read one after another; then
    /// two callers post demo messages (``HotlineDemo``, real wording, duplicates among them) as 12345 calls.
    /// - Throws: when the client cannot reach the server at all.
    static func load(_ f: Fixture, client: HTTPClient) async throws -> Load {
        let failures = NIOLockedValueBox(0)
        let stop = NIOLockedValueBox(false)
        let screens = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<wallScreens {
                    group.addTask {
                        while !stop.withLockedValue({ $0 }) {
                            for path in ["/console/summary", "/console/attention"] {
                                let ok = await status(client, get(f.base + path, cookie: f.cityToken))
                                if !ok { failures.withLockedValue { $0 += 1 } }
                            }
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
            }
        }
        try await Task.sleep(for: .seconds(2))
        var detail: [Double] = []
        for _ in 0..<detailReads {
            let started = ContinuousClock.now
            if !(await status(client, get(f.base + "/api/v1/cases/\(f.caseID)", bearer: f.cityToken))) {
                failures.withLockedValue { $0 += 1 }
            }
            detail.append((ContinuousClock.now - started).seconds * 1000)
            try await Task.sleep(for: .milliseconds(50))
        }
        stop.withLockedValue { $0 = true }
        await screens.value
        let messages = try HotlineDemo.messages(path: nil)
        let started = ContinuousClock.now
        let intake = await withTaskGroup(of: [Double].self) { group in
            for caller in 0..<2 {
                group.addTask {
                    var times: [Double] = []
                    for index in 0..<intakeCalls {
                        let text = messages[(caller * intakeCalls + index) % messages.count]
                        let sent = ContinuousClock.now
                        if !(await status(client, hotlineCall(f, text: text))) { failures.withLockedValue { $0 += 1 } }
                        times.append((ContinuousClock.now - sent).seconds * 1000)
                    }
                    return times
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let seconds = (ContinuousClock.now - started).seconds
        return Load(
            detailMedian: percentile(detail, 0.5), detailP99: percentile(detail, 0.99),
            failures: failures.withLockedValue { $0 },
            intakeP99: percentile(intake, 0.99), intakeRate: Double(intake.count) / max(seconds, 0.001))
    }

    /// The `bench` lines of the load figures beside the reference's.
    static func loadLines(_ big: Load, reference small: Load) -> [String] {
        func ms(_ value: Double) -> String { String(format: "%.1f", value) }
        return [
            "bench scale_load_case_detail_median \(ms(big.detailMedian)) ms reference \(ms(small.detailMedian)) ms",
            "bench scale_load_case_detail_p99 \(ms(big.detailP99)) ms reference \(ms(small.detailP99)) ms",
            "bench scale_load_failures \(big.failures) responses reference \(small.failures) responses",
            "bench scale_intake_p99 \(ms(big.intakeP99)) ms reference \(ms(small.intakeP99)) ms",
            "bench scale_intake_throughput \(ms(big.intakeRate)) calls/s reference \(ms(small.intakeRate)) calls/s",
        ]
    }

    /// The value at `share` (0…1) of the sorted `values` (nearest rank).
    static func percentile(_ values: [Double], _ share: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * share).rounded(.up)) - 1)]
    }

    /// Whether `request` was answered with a status under 500 (its body read and dropped).
    private static func status(_ client: HTTPClient, _ request: HTTPClientRequest) async -> Bool {
        guard let response = try? await client.execute(request, timeout: .seconds(120)) else { return false }
        _ = try? await response.body.collect(upTo: 64 << 20)
        return response.status.code < 500
    }

    static func hotlineCall(_ f: Fixture, text: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: f.base + "/api/v1/hotline/reports")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-API-Key", value: f.hotlineKey)
        struct Body: Encodable {
            var text: String
            var channel = "phone"
        }
        let body =
            (try? JSONEncoder().encode(Body(text: String(text.prefix(TextRules.maxDescriptionLength))))) ?? Data()
        request.body = .bytes(ByteBuffer(data: body))
        return request
    }
}
