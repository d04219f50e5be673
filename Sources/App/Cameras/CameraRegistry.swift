import CityDomain
import Foundation
import SQLKit
import Vapor

/// A camera as the API receives it (`POST /api/v1/cameras`).
struct CameraInput: Content {
    var id: String
    var name: String
    var lat: Double?
    var long: Double?
    var address: String?
    var regionCode: String?
    var unitCode: String

    enum CodingKeys: String, CodingKey {
        case id, name, lat, long, address
        case regionCode = "region_code"
        case unitCode = "unit_code"
    }
}

/// A registered camera (城市之眼 point), as stored in `cameras`: located to its street (or district) and owned by
/// the unit that answers for its picture.
struct Camera: Sendable, Equatable {
    var id: String
    var name: String
    var latitude: Double?
    var longitude: Double?
    var address: String?
    var regionCode: String
    var locateMethod: String
    var unitCode: String

    var point: GeoPoint? {
        guard let latitude, let longitude else { return nil }
        return try? GeoPoint(latitude: latitude, longitude: longitude)
    }
}

/// Registers cameras: checks them, locates them with the city's ``RegionLocator`` (as sensors are) and stores them
/// through the write gate. Cameras have their own registry rather than a sensor kind: they report detections, not
/// attributes with units, and sensors require at least one attribute.
enum CameraRegistry {
    /// Checks and locates a camera.
    /// - Returns: the camera to store.
    /// - Throws: ``SensorProblem`` naming the field (`bad_id`, `bad_text`, `location`, `unknown_unit`).
    static func validate(_ input: CameraInput, reference: CityReference) throws(SensorProblem) -> Camera {
        guard SensorRegistry.isValidID(input.id) else {
            throw SensorProblem(code: "bad_id", message: "id must be 1–64 of A–Z a–z 0–9 . _ : -")
        }
        let (point, located) = try SensorRegistry.placement(
            name: input.name, address: input.address, lat: input.lat, long: input.long,
            regionCode: input.regionCode, unitCode: input.unitCode, reference: reference)
        return Camera(
            id: input.id, name: input.name, latitude: point?.latitude, longitude: point?.longitude,
            address: input.address, regionCode: located.regionCode, locateMethod: located.method.rawValue,
            unitCode: input.unitCode)
    }

    /// Stores a new camera.
    /// - Returns: false when the id is taken (nothing stored).
    static func insert(_ camera: Camera, now: Date, gate: WriteGate) async throws -> Bool {
        let nowMS = VitalsTime.ms(now)
        return try await gate.exclusive { db in
            let row = try await db.sql().insert(into: "cameras")
                .columns(
                    "id", "name", "latitude", "longitude", "address", "region_code", "locate_method", "unit_code",
                    "created_at_ms", "updated_at_ms"
                )
                .values(
                    SQLBind(camera.id), SQLBind(camera.name), IntakeRows.b(camera.latitude),
                    IntakeRows.b(camera.longitude), IntakeRows.b(camera.address), SQLBind(camera.regionCode),
                    SQLBind(camera.locateMethod), SQLBind(camera.unitCode), SQLBind(nowMS), SQLBind(nowMS)
                )
                .ignoringConflicts().returning("id").first()
            return row != nil
        }
    }

    /// The stored cameras with these ids.
    static func load(_ ids: some Collection<String>, on sql: any SQLDatabase) async throws -> [String: Camera] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().column("*").from("cameras").where("id", .in, Array(Set(ids))).all()
        var result: [String: Camera] = [:]
        for row in rows {
            let camera = try decode(row)
            result[camera.id] = camera
        }
        return result
    }

    /// Cameras in id order, located in `regionCodes` (none when empty; all when nil) and of `unitCode`.
    static func list(regionCodes: [String]?, unitCode: String?, limit: Int, offset: Int, on sql: any SQLDatabase)
        async throws -> [Camera]
    {
        if regionCodes?.isEmpty == true { return [] }
        var query = sql.select().column("*").from("cameras")
        if let regionCodes { query = query.where("region_code", .in, regionCodes) }
        if let unitCode { query = query.where("unit_code", .equal, unitCode) }
        return try await query.orderBy("id").limit(limit).offset(offset).all().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> Camera {
        Camera(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            latitude: try row.decode(column: "latitude", as: Double?.self),
            longitude: try row.decode(column: "longitude", as: Double?.self),
            address: try row.decode(column: "address", as: String?.self),
            regionCode: try row.decode(column: "region_code", as: String.self),
            locateMethod: try row.decode(column: "locate_method", as: String.self),
            unitCode: try row.decode(column: "unit_code", as: String.self))
    }
}

extension OperatorScope {
    /// Whether a camera (its region and owning unit) is visible to this operator, as a case there would be.
    func canSee(_ camera: Camera, in hierarchy: RegionHierarchy) -> Bool {
        canSee(regionCode: camera.regionCode, unitCode: camera.unitCode, in: hierarchy)
    }
}
