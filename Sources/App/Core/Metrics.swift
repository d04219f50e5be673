import CityDomain
import Fluent
import Prometheus
import SQLKit
import Vapor

/// CityNet's Prometheus metrics (swift-prometheus), one registry per application so tests stay independent.
/// Served as text exposition format 0.0.4 at `GET /metrics`.
final class CityMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let dispatchLatency: DurationHistogram

    init() {
        dispatchLatency = registry.makeDurationHistogram(
            descriptor: Self.name(
                "dispatch_latency", unit: "seconds",
                help: "Intake of one report: locate, dispatch, time limits and the committed transaction."),
            buckets: [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                .seconds(2),
            ])
    }

    /// `citynet_<name>_<unit>` (an empty unit is left out), with its help text.
    private static func name(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "citynet", metricName: name, unitName: unit, helpText: help)
    }

    /// Counts a stored report from `source`.
    func reportReceived(source: ReportSource) {
        registry.makeCounter(
            descriptor: Self.name("reports_received", unit: "total", help: "Reports accepted and stored, by source."),
            labels: [("source", source.rawValue)]
        ).increment()
    }

    /// Counts one HTTP request by method, matched route and status.
    func request(method: String, route: String, status: UInt) {
        let known: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        let method = known.contains(method) ? method : "other"  // raw methods must not grow the label set
        registry.makeCounter(
            descriptor: Self.name(
                "http_requests", unit: "total", help: "HTTP requests served, by method, route pattern and status."),
            labels: [("method", method), ("route", route), ("status", "\(status)")]
        ).increment()
    }

    /// Refreshes the cases-by-state gauges from the database and renders every metric.
    func exposition(db: any Database) async throws -> String {
        struct Row: Decodable {
            let state: String
            let count: Int
        }
        var counts: [String: Int] = [:]
        if let sql = db as? any SQLDatabase {
            // From the case counters (``CaseCounters``), not a count of every case ever received.
            let rows = try await sql.raw(
                #"SELECT "state", CAST(SUM("n") AS BIGINT) AS "count" FROM "case_counters" GROUP BY "state""#
            ).all(decoding: Row.self)
            for row in rows { counts[row.state] = row.count }
        }
        for state in CaseState.allCases.map(\.rawValue) {
            registry.makeGauge(
                descriptor: Self.name("cases", unit: "", help: "Cases by workflow state."), labels: [("state", state)]
            ).set(Double(counts[state] ?? 0))
        }
        return registry.emitToString()
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = CityMetrics }

    /// The app's metrics; installed by `configure` before the server starts.
    var metrics: CityMetrics {
        get {
            storage.required(MetricsKey.self)
        }
        set { storage[MetricsKey.self] = newValue }
    }
}

/// Counts every request for `citynet_http_requests_total`, labelled with the route pattern (not the raw path, so
/// ids do not explode the label set).
struct RequestMetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do { response = try await next.respond(to: request) } catch {
            let status = (error as? any AbortError)?.status.code ?? 500
            record(request, status: status)
            throw error
        }
        record(request, status: response.status.code)
        return response
    }

    private func record(_ request: Request, status: UInt) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        request.application.metrics.request(method: request.method.rawValue, route: route, status: status)
    }
}
