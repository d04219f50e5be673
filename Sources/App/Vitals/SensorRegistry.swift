import CityDomain
import Foundation
import SQLKit
import Vapor

/// A sensor as the API receives it (`POST /api/v1/sensors`, and each item of `POST /api/v1/sensor-imports`).
struct SensorInput: Content {
    struct Attribute: Content {
        var name: String
        var unit: String
    }

    var id: String
    var kind: String
    var name: String
    var lat: Double?
    var long: Double?
    var address: String?
    var regionCode: String?
    var unitCode: String
    var attributes: [Attribute]

    enum CodingKeys: String, CodingKey {
        case id, kind, name, lat, long, address, attributes
        case regionCode = "region_code"
        case unitCode = "unit_code"
    }
}

/// A registered sensor, as stored in `sensors` and as rule evaluation needs it.
struct Sensor: Sendable, Codable, Equatable {
    var id: String
    var kind: SensorKind
    var name: String
    var latitude: Double?
    var longitude: Double?
    var address: String?
    var regionCode: String
    var locateMethod: String
    var unitCode: String
    /// Attribute name → unit code.
    var attributes: [String: String]
    var lastObservedMS: Int64?

    /// The catalogue attribute `name`, if the sensor reports it.
    func attribute(_ name: String) -> VitalAttribute? {
        guard attributes[name] != nil else { return nil }
        return VitalAttribute.lookup(name, kind: kind)
    }
}

/// Why a sensor cannot be registered (400, or 409 for a taken id); nothing is written.
struct SensorProblem: Error, Sendable, Equatable {
    var code: String
    var message: String
}

/// Registers sensors: checks them, locates them to their street (or district) with the city's ``RegionLocator``,
/// and stores them through the write gate.
enum SensorRegistry {
    /// Sensor ids: 1–64 letters, digits, `.`, `_`, `:` or `-`.
    static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0))
            }
    }
    /// The most sensors one bulk request registers.
    static let maxBulk = 1000

    /// Checks what sensors and cameras share: the name and address texts, the point (both coordinates or
    /// neither), the location (``RegionLocator``: point, then address text, then the chosen region) and the owning
    /// unit.
    /// - Returns: the point, if given, and the located region.
    /// - Throws: ``SensorProblem`` `bad_text`, `location` or `unknown_unit`.
    static func placement(
        name: String, address: String?, lat: Double?, long: Double?, regionCode: String?, unitCode: String,
        reference: CityReference
    ) throws(SensorProblem) -> (GeoPoint?, LocatedRegion) {
        do {
            try TextRules.validate(name, field: "name", maxLength: 100, allowEmpty: false)
            if let address { try TextRules.validate(address, field: "address", maxLength: 200) }
        } catch {
            throw SensorProblem(code: "bad_text", message: "\(error)")
        }
        var point: GeoPoint?
        switch (lat, long) {
        case (let lat?, let long?):
            guard let valid = try? GeoPoint(latitude: lat, longitude: long) else {
                throw SensorProblem(code: "location", message: "lat must be within ±90 and long within ±180")
            }
            point = valid
        case (nil, nil): point = nil
        default: throw SensorProblem(code: "location", message: "give both lat and long, or neither")
        }
        let located: LocatedRegion
        do {
            located = try reference.locator.locate(point: point, addressText: address, chosenRegionCode: regionCode)
        } catch {
            throw SensorProblem(code: "location", message: "\(error)")
        }
        guard reference.units[unitCode] != nil else {
            throw SensorProblem(code: "unknown_unit", message: "unknown unit_code '\(unitCode)'")
        }
        return (point, located)
    }

    /// Checks and locates a sensor.
    /// - Returns: the sensor to store.
    /// - Throws: ``SensorProblem`` naming the field (`bad_id`, `unknown_kind`, `bad_name`, `location`,
    ///   `unknown_unit`, `unknown_attribute`, `unit_mismatch`, `no_attributes`).
    static func validate(_ input: SensorInput, reference: CityReference) throws(SensorProblem) -> Sensor {
        guard isValidID(input.id) else {
            throw SensorProblem(code: "bad_id", message: "id must be 1–64 of A–Z a–z 0–9 . _ : -")
        }
        guard let kind = SensorKind(rawValue: input.kind) else {
            let known = SensorKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw SensorProblem(code: "unknown_kind", message: "unknown kind '\(input.kind)'; one of \(known)")
        }
        let (point, located) = try placement(
            name: input.name, address: input.address, lat: input.lat, long: input.long,
            regionCode: input.regionCode, unitCode: input.unitCode, reference: reference)
        guard !input.attributes.isEmpty else {
            throw SensorProblem(code: "no_attributes", message: "a sensor reports at least one attribute")
        }
        var attributes: [String: String] = [:]
        for attribute in input.attributes {
            guard let known = VitalAttribute.lookup(attribute.name, kind: kind) else {
                let names = (VitalAttribute.catalogue[kind] ?? []).map(\.name).joined(separator: ", ")
                throw SensorProblem(
                    code: "unknown_attribute",
                    message: "a \(kind.rawValue) sensor has no attribute '\(attribute.name)'; one of \(names)")
            }
            do { try ReadingRules.checkUnit(attribute.unit, attribute: known) } catch {
                throw SensorProblem(code: "unit_mismatch", message: "\(attribute.name): \(error)")
            }
            attributes[known.name] = known.unit
        }
        return Sensor(
            id: input.id, kind: kind, name: input.name, latitude: point?.latitude, longitude: point?.longitude,
            address: input.address, regionCode: located.regionCode, locateMethod: located.method.rawValue,
            unitCode: input.unitCode, attributes: attributes, lastObservedMS: nil)
    }

    /// Stores new sensors in one transaction; a taken id is skipped.
    /// - Returns: the ids that were taken (not stored).
    static func insert(_ sensors: [Sensor], now: Date, gate: WriteGate) async throws -> Set<String> {
        guard !sensors.isEmpty else { return [] }
        let nowMS = VitalsTime.ms(now)
        return try await gate.exclusive { db in
            let sql = try db.sql()
            var taken = Set<String>()
            for sensor in sensors {
                let attributes = String(decoding: try JSONEncoder.sorted.encode(sensor.attributes), as: UTF8.self)
                let row = try await sql.insert(into: "sensors")
                    .columns(
                        "id", "kind", "name", "latitude", "longitude", "address", "region_code", "locate_method",
                        "unit_code", "attributes", "created_at_ms", "updated_at_ms"
                    )
                    .values(
                        SQLBind(sensor.id), SQLBind(sensor.kind.rawValue), SQLBind(sensor.name),
                        IntakeRows.b(sensor.latitude), IntakeRows.b(sensor.longitude), IntakeRows.b(sensor.address),
                        SQLBind(sensor.regionCode), SQLBind(sensor.locateMethod), SQLBind(sensor.unitCode),
                        SQLBind(attributes), SQLBind(nowMS), SQLBind(nowMS)
                    )
                    .ignoringConflicts().returning("id").first()
                if row == nil { taken.insert(sensor.id) }
            }
            return taken
        }
    }

    /// The stored sensors with these ids.
    static func load(_ ids: some Collection<String>, on sql: any SQLDatabase) async throws -> [String: Sensor] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().column("*").from("sensors")
            .where("id", .in, Array(Set(ids))).all()
        var result: [String: Sensor] = [:]
        for row in rows {
            let sensor = try decode(row)
            result[sensor.id] = sensor
        }
        return result
    }

    /// Sensors in id order, optionally of one kind, located in `regionCodes` (none when empty) and of `unitCode`.
    static func list(
        kind: SensorKind?, regionCodes: [String]?, unitCode: String? = nil, limit: Int, offset: Int,
        on sql: any SQLDatabase
    ) async throws -> [Sensor] {
        if regionCodes?.isEmpty == true { return [] }
        var query = sql.select().column("*").from("sensors")
        if let kind { query = query.where("kind", .equal, kind.rawValue) }
        if let regionCodes { query = query.where("region_code", .in, regionCodes) }
        if let unitCode { query = query.where("unit_code", .equal, unitCode) }
        return try await query.orderBy("id").limit(limit).offset(offset).all().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> Sensor {
        let attributes = try row.decode(column: "attributes", as: String.self)
        return Sensor(
            id: try row.decode(column: "id", as: String.self),
            kind: try row.decode(column: "kind", as: SensorKind.self),
            name: try row.decode(column: "name", as: String.self),
            latitude: try row.decode(column: "latitude", as: Double?.self),
            longitude: try row.decode(column: "longitude", as: Double?.self),
            address: try row.decode(column: "address", as: String?.self),
            regionCode: try row.decode(column: "region_code", as: String.self),
            locateMethod: try row.decode(column: "locate_method", as: String.self),
            unitCode: try row.decode(column: "unit_code", as: String.self),
            attributes: try JSONDecoder().decode([String: String].self, from: Data(attributes.utf8)),
            lastObservedMS: try row.decode(column: "last_observed_ms", as: Int64?.self))
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys (stored JSON text that compares equal for equal values).
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

/// Vital-sign times: integer milliseconds since 1970 in storage, `Date` in the domain.
enum VitalsTime {
    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(ms) / 1000) }
}
