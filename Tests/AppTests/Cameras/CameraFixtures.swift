import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Cameras and detections for the camera tests: a camera over the fire lane under 曹杨路桥 in Putuo's 曹杨新村街道,
/// owned by the district's road-maintenance unit, and tiny PNG and JPEG frames.
enum CameraFixtures {
    /// The street 曹杨新村街道 (Putuo) where ``camera(_:)`` locates.
    static let street = "310107005"

    static func camera(
        _ id: String, address: String = "曹杨新村街道曹杨路桥", regionCode: String? = nil, point: Bool = true
    ) -> [String: Any] {
        var camera: [String: Any] = [
            "id": id, "name": "曹杨路桥东侧 \(id)", "address": address, "unit_code": "310107.road_maintenance",
        ]
        if point {
            camera["lat"] = 31.2455
            camera["long"] = 121.4160
        }
        if let regionCode { camera["region_code"] = regionCode }
        return camera
    }

    /// A PNG of `width` × `height` by its container (signature, IHDR, an empty IDAT, IEND; CRCs not computed, as
    /// ``PhotoUpload/imageType(of:)`` reads the structure only); `salt` changes its bytes.
    static func png(width: UInt32 = 1920, height: UInt32 = 1080, salt: UInt8 = 0) -> Data {
        func word(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += word(13) + Array("IHDR".utf8) + word(width) + word(height) + [8, 2, 0, 0, 0] + [0, 0, 0, salt]
        bytes += word(0) + Array("IDAT".utf8) + [0, 0, 0, 0]
        bytes += [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        return Data(bytes)
    }

    /// A JPEG of `width` × `height` by its container: SOI, an APP0 segment, SOF0 with the size, EOI.
    static func jpeg(width: UInt16 = 1280, height: UInt16 = 720) -> Data {
        func half(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46]
        bytes += [0xFF, 0xC0, 0x00, 0x11, 0x08] + half(height) + half(width) + [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        bytes += [0xFF, 0xD9]
        return Data(bytes)
    }

    static func detection(
        _ camera: String, id: String, at date: Date, type: String = "fire_lane_parking", confidence: Any = 0.9,
        snapshot: Data? = nil, box: [String: Any]? = nil, algorithm: String = "cityeye-parking",
        version: String = "2.3"
    ) -> [String: Any] {
        var item: [String: Any] = [
            "camera_id": camera, "type": type, "algorithm": algorithm, "algorithm_version": version,
            "detection_id": id, "confidence": confidence, "observed_at": VitalsFixtures.isoMS(date),
        ]
        if let snapshot { item["snapshot"] = snapshot.base64EncodedString() }
        if let box { item["box"] = box }
        return item
    }

    static func register(_ app: Application, token: String, _ camera: [String: Any]) async throws {
        try await VitalsFixtures.post(app, "/api/v1/cameras", token: token, json: camera) { res in
            #expect(res.status == .created, "\(res.body.string)")
        }
    }

    @discardableResult
    static func batch(
        _ app: Application, token: String, _ detections: [[String: Any]], status: HTTPResponseStatus = .ok
    ) async throws -> DetectionBatchResultDTO {
        var result: DetectionBatchResultDTO?
        try await VitalsFixtures.post(
            app, "/api/v1/camera-detections/batch", token: token, json: ["detections": detections]
        ) { res in
            #expect(res.status == status, "\(res.body.string)")
            result = try res.content.decode(DetectionBatchResultDTO.self)
        }
        return try #require(result)
    }

    /// Sightings of one car every `every` seconds from `start` for `count` sightings.
    static func sightings(
        _ camera: String, prefix: String, from start: Date, every: TimeInterval = 10, count: Int,
        confidence: Double = 0.9, type: String = "fire_lane_parking"
    ) -> [[String: Any]] {
        (0..<count).map {
            detection(
                camera, id: "\(prefix)-\($0)", at: start.addingTimeInterval(Double($0) * every), type: type,
                confidence: confidence)
        }
    }

    static func incidents(_ app: Application, token: String, query: String = "") async throws -> [CameraIncidentDTO] {
        var incidents: [CameraIncidentDTO] = []
        try await app.testing().test(.GET, "/api/v1/camera-incidents\(query)", headers: .bearer(token)) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            incidents = try res.content.decode([CameraIncidentDTO].self)
        }
        return incidents
    }

    static func incident(_ app: Application, token: String, _ id: Int64) async throws -> CameraIncidentDTO {
        var incident: CameraIncidentDTO?
        try await app.testing().test(.GET, "/api/v1/camera-incidents/\(id)", headers: .bearer(token)) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            incident = try res.content.decode(CameraIncidentDTO.self)
        }
        return try #require(incident)
    }

    /// Stores settings through the API.
    static func settings(
        _ app: Application, token: String, camera: String = "*", type: String = "fire_lane_parking", gap: Int = 600,
        persist: Int = 180, minConfidence: Double = 0.6, confirm: Bool = false,
        status: HTTPResponseStatus = .ok
    ) async throws {
        let body: [String: Any] = [
            "camera_id": camera, "type": type, "gap_seconds": gap, "persist_seconds": persist,
            "min_confidence": minConfidence, "requires_confirmation": confirm,
        ]
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = .json
        try await app.testing().test(
            .PUT, "/api/v1/camera-settings", headers: headers,
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        ) { res in
            #expect(res.status == status, "\(res.body.string)")
        }
    }

    static func sql(_ app: Application) throws -> any SQLDatabase { try #require(app.db as? any SQLDatabase) }
}
