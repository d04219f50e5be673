import AsyncHTTPClient
import CityDomain
import Foundation
import NIOCore
import NIOHTTP1
import Vapor

extension SensorReplay.Target {
    /// Another CityNet server through its HTTP API, as any sensor gateway would feed it: sensors through
    /// `POST /api/v1/sensor-imports` (1,000 a request; `taken` counts as already registered), readings through
    /// `POST /api/v1/readings/batch`, with an operator's session token (`POST /api/v1/sessions`) as bearer.
    /// - Parameters:
    ///   - base: the server's address, e.g. `http://127.0.0.1:8080`.
    ///   - reference: the city reference the sites' unit codes are chosen from (the server's own city data).
    /// - Throws (from its closures): ``CommandFailure`` with the server's status and answer for a refused request.
    static func server(base: String, token: String, client: HTTPClient, reference: CityReference) -> Self {
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        @Sendable func post(_ path: String, _ body: some Encodable) async throws -> BatchResultDTO {
            var request = HTTPClientRequest(url: root + path)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
            let response = try await client.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            guard response.status == .ok || response.status == .unprocessableEntity,
                let result = try? JSONDecoder().decode(BatchResultDTO.self, from: bytes)
            else {
                throw CommandFailure(
                    "\(root + path): \(response.status.code) \(String(buffer: bytes).prefix(300))")
            }
            return result
        }
        return Self(
            register: { sites in
                var created = 0
                var existing = 0
                let inputs = sites.map { SensorReplay.sensorInput($0, reference: reference) }
                for part in stride(from: 0, to: inputs.count, by: SensorRegistry.maxBulk) {
                    let chunk = Array(inputs[part..<min(part + SensorRegistry.maxBulk, inputs.count)])
                    for item in try await post("/api/v1/sensor-imports", SensorController.BulkInput(sensors: chunk))
                        .items
                    {
                        if item.status == "created" {
                            created += 1
                        } else if item.error?.code == "taken" {
                            existing += 1
                        } else {
                            throw CommandFailure(
                                "sensor \(item.id ?? "?") refused: \(item.error?.code ?? ""): \(item.error?.message ?? "")"
                            )
                        }
                    }
                }
                return (created, existing)
            },
            ingest: { batch in
                try await post("/api/v1/readings/batch", ReadingBatchInput(readings: batch)).items.map { item in
                    item.status == "error" ? item.error?.code ?? "error" : item.status
                }
            },
            alarmCount: { _ in nil })
    }
}
