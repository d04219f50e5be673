import CityDomain
import Foundation
import Vapor

/// Reading ingestion for signed-in operators and for gateways with a readings API key, each for the sensors they
/// may see or send for (CityNet issue 11 §1, §6): `POST /api/v1/readings` (one) and `POST /api/v1/readings/batch`
/// (JSON `{"readings": […]}` or CSV lines `sensor_id,attribute,value,unit,observed_at`).
struct ReadingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let readings = routes.grouped("readings")
        readings.on(.POST, body: .collect(maxSize: "16kb"), use: single)
        readings.on(.POST, "batch", body: .collect(maxSize: "4mb"), use: batch)
    }

    /// `POST /api/v1/readings` — 201 with `accepted`, 200 with `duplicate` (a resend: nothing changed); 400 for a
    /// bad reading (a sensor outside the operator's scope is `unknown_sensor`) and 409 for another value under a stored key, both with the item's code in the reason.
    @Sendable func single(req: Request) async throws -> Response {
        let input = try req.decodeBody(ReadingInput.self)
        let outcomes = try await ReadingIngest.ingest(
            [input], app: req.application, now: req.now, scope: req.auth.get(OperatorScope.self),
            area: req.auth.get(ReadingGateway.self)?.area)
        let result = BatchResultDTO(outcomes)
        switch outcomes.first {
        case .accepted?: return try await result.items[0].encodeResponse(status: .created, for: req)
        case .duplicate?: return try await result.items[0].encodeResponse(status: .ok, for: req)
        case .error(let error)?:
            let status: HTTPResponseStatus = error.code == "conflicts_with_stored" ? .conflict : .badRequest
            throw Abort(status, reason: "\(error.code): \(error.message)")
        case nil: throw Abort(.internalServerError)
        }
    }

    /// `POST /api/v1/readings/batch` — 200 with one result per reading, in order (`accepted`, `duplicate` or
    /// `error` with a code), or 422 with the same list when every reading failed; every accepted reading is
    /// committed before the answer. 400 for a body that is not a
    /// batch, or one over 10,000 readings.
    @Sendable func batch(req: Request) async throws -> Response {
        let inputs: [ReadingInput]
        if req.headers.contentType == .init(type: "text", subType: "csv") {
            inputs = try Self.csv(req.body.string ?? "")
        } else {
            inputs = try req.decodeBody(ReadingBatchInput.self).readings
        }
        guard inputs.count <= ReadingIngest.maxBatch else {
            throw Abort(.badRequest, reason: "at most \(ReadingIngest.maxBatch) readings per batch")
        }
        let outcomes = try await ReadingIngest.ingest(
            inputs, app: req.application, now: req.now, scope: req.auth.get(OperatorScope.self),
            area: req.auth.get(ReadingGateway.self)?.area, waitForAlarms: false)
        let result = BatchResultDTO(outcomes)
        return try await result.encodeResponse(status: result.status, for: req)
    }

    /// CSV lines `sensor_id,attribute,value,unit,observed_at` (no quoting; an empty unit means the attribute's;
    /// blank lines skipped; a first line starting `sensor_id,` is a header). A line without five fields becomes an
    /// item with the fields it has, so it fails alone as `missing_field`.
    static func csv(_ text: String) throws -> [ReadingInput] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if lines.first?.hasPrefix("sensor_id,") == true { lines.removeFirst() }
        return lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            func field(_ index: Int) -> String? {
                index < fields.count && !fields[index].isEmpty ? fields[index] : nil
            }
            return ReadingInput(
                sensorID: field(0), attribute: field(1), value: field(2).map(ReadingValueInput.text),
                unit: field(3), observedAt: fields.count == 5 ? field(4) : nil)
        }
    }
}
