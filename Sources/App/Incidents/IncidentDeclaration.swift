import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The body of `POST /api/v1/incidents`, every field optional so that each missing or wrong one is named in the
/// 422 answer rather than failing the decode.
struct DeclareIncidentBody: Content {
    struct Area: Content {
        var regionCodes: [String]?
        var point: IncidentAreaDTO.Point?
        var radiusM: Double?

        enum CodingKeys: String, CodingKey {
            case point
            case regionCodes = "region_codes", radiusM = "radius_m"
        }
    }
    var type: String?
    var level: String?
    var title: String?
    var area: Area?
    var leadUnitCode: String?
    var assistingUnitCodes: [String]?
    var categoryCodes: [String]?
    var caseId: Int?
    var alarmId: Int?

    enum CodingKeys: String, CodingKey {
        case type, level, title, area
        case leadUnitCode = "lead_unit_code", assistingUnitCodes = "assisting_unit_codes"
        case categoryCodes = "category_codes", caseId = "case_id", alarmId = "alarm_id"
    }
}

/// Checks a declaration against the reference data and the operator's scope.
///
/// An incident declared from a case or an alarm takes, when the body gives no area, the case's region and point
/// (or the alarm's sensor's) with a radius of ``defaultRadiusMeters``. A point without region codes is located to
/// its region. Categories default to the type's (``IncidentType/categoryCodes``); the title to the type's name.
enum IncidentDeclaration {
    /// Where the sensor of alarm `id` is, if the operator of `scope` may see it (its region in their subtree, and its
    /// unit for caseworkers and grid workers): what declaring an incident from an alarm and linking an alarm to one
    /// both check.
    /// - Returns: nil for an unknown alarm or one outside the scope (answered alike).
    static func alarmSensor(_ id: Int, scope: OperatorScope, reference: CityReference, on sql: any SQLDatabase)
        async throws -> (regionCode: String, latitude: Double?, longitude: Double?)?
    {
        let row = try await sql.select()
            .columns(
                SQLColumn("region_code", table: "sensors"), SQLColumn("latitude", table: "sensors"),
                SQLColumn("longitude", table: "sensors"), SQLColumn("unit_code", table: "sensors")
            )
            .from("alarms")
            .join(
                SQLIdentifier("sensors"), method: SQLJoinMethod.inner,
                on: SQLColumn("sensor_id", table: "alarms"), SQLBinaryOperator.equal, SQLColumn("id", table: "sensors")
            )
            .where(SQLColumn("id", table: "alarms"), SQLBinaryOperator.equal, SQLBind(id)).first()
        guard let row, let region = try? row.decode(column: "region_code", as: String.self),
            scope.canSee(
                regionCode: region, unitCode: (try? row.decode(column: "unit_code", as: String.self)) ?? "",
                in: reference.hierarchy)
        else { return nil }
        return (
            region, try row.decode(column: "latitude", as: Double?.self),
            try row.decode(column: "longitude", as: Double?.self)
        )
    }

    /// 3 km: the radius of an area taken from a case's or sensor's point.
    static let defaultRadiusMeters = 3000.0

    enum Outcome {
        case valid(IncidentStore.Declaration)
        case invalid([IncidentFieldError])
    }

    static func check(
        _ body: DeclareIncidentBody, scope: OperatorScope, reference: CityReference, on db: any Database
    ) async throws -> Outcome {
        var errors: [IncidentFieldError] = []
        func add(_ field: String, _ code: String, _ message: String) {
            errors.append(.init(field: field, code: code, message: message))
        }
        let type = body.type.flatMap(IncidentType.init(rawValue:))
        if type == nil {
            let known = IncidentType.allCases.map(\.rawValue).joined(separator: ", ")
            add("type", body.type == nil ? "missing" : "unknown_type", "type must be one of \(known)")
        }
        let level = body.level.flatMap(IncidentLevel.init(rawValue:))
        if level == nil {
            add(
                "level", body.level == nil ? "missing" : "unknown_level",
                "level must be IV (一般), III (较大), II (重大) or I (特别重大)")
        }
        let title = (body.title ?? type?.nameZh ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.title != nil, title.isEmpty || title.count > 200 {
            add("title", "bad_title", "title must be 1–200 characters")
        }
        var source = IncidentSource.operator
        var fallbackRegion: String?
        var fallbackPoint: GeoPoint?
        if let caseID = body.caseId {
            source = .case
            if let record = try await CaseQueries.visible(caseID, scope: scope, reference: reference, on: db) {
                fallbackRegion = record.regionCode
                if let lat = record.latitude, let long = record.longitude {
                    fallbackPoint = try? GeoPoint(latitude: lat, longitude: long)
                }
            } else {
                add("case_id", "unknown_case", "case \(caseID) not found")
            }
        }
        if let alarmID = body.alarmId {
            if body.caseId == nil { source = .alarm }
            if let sensor = try await Self.alarmSensor(alarmID, scope: scope, reference: reference, on: try db.sql()) {
                let region = sensor.regionCode
                fallbackRegion = fallbackRegion ?? region
                if fallbackPoint == nil, let lat = sensor.latitude, let long = sensor.longitude {
                    fallbackPoint = try? GeoPoint(latitude: lat, longitude: long)
                }
            } else {
                add("alarm_id", "unknown_alarm", "alarm \(alarmID) not found")
            }
        }
        var area: IncidentArea?
        if let given = body.area {
            var center: GeoPoint?
            if let point = given.point {
                center = try? GeoPoint(latitude: point.lat, longitude: point.long)
                if center == nil { add("area.point", "bad_point", "lat must be within ±90 and long within ±180") }
            }
            var regions = given.regionCodes ?? []
            if regions.isEmpty, let center,
                let located = try? reference.locator.locate(point: center, addressText: nil, chosenRegionCode: nil),
                reference.hierarchy[located.regionCode] != nil
            {
                regions = [located.regionCode]
            }
            area = IncidentArea(regionCodes: regions, center: center, radiusMeters: given.radiusM)
        } else if let fallbackRegion {
            area = IncidentArea(
                regionCodes: [fallbackRegion], center: fallbackPoint,
                radiusMeters: fallbackPoint == nil ? nil : defaultRadiusMeters)
        } else if body.caseId == nil && body.alarmId == nil {
            add("area", "missing", "an area (region_codes and/or point with radius_m) is required")
        }
        if let area {
            if let problem = area.problem(in: reference.hierarchy) {
                errors.append(problem)
            } else if area.regionCodes.isEmpty {
                add("area.point", "outside_city", "the point lies in no region of the city")
            } else if !IncidentAccess(scope: scope, hierarchy: reference.hierarchy).canDeclare(
                regionCodes: area.regionCodes)
            {
                throw Abort(
                    .forbidden,
                    reason: "only an operations-centre operator whose region holds the whole area may declare an "
                        + "incident there (your unit: \(scope.unitCode))")
            }
        }
        let lead = body.leadUnitCode ?? ""
        if body.leadUnitCode == nil {
            add("lead_unit_code", "missing", "lead_unit_code (主办) is required")
        } else if reference.units[lead] == nil {
            add("lead_unit_code", "unknown_unit", "unknown unit '\(lead)' (see GET /api/v1/units)")
        }
        for (index, code) in (body.assistingUnitCodes ?? []).enumerated() where reference.units[code] == nil {
            add("assisting_unit_codes[\(index)]", "unknown_unit", "unknown unit '\(code)' (see GET /api/v1/units)")
        }
        let categories = body.categoryCodes ?? type?.categoryCodes ?? []
        for (index, code) in categories.enumerated() where reference.taxonomy[code] == nil {
            add("category_codes[\(index)]", "unknown_category", "unknown category '\(code)'")
        }
        guard errors.isEmpty, let type, let level, let area else { return .invalid(errors) }
        return .valid(
            IncidentStore.Declaration(
                type: type, level: level, title: title, source: source, area: area, categoryCodes: categories,
                leadUnitCode: lead, assistingUnitCodes: body.assistingUnitCodes ?? [], caseID: body.caseId,
                alarmID: body.alarmId))
    }
}
