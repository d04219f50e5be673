import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The sensor registry over HTTP (CityNet issue 11 §1): located to district and street, FIWARE attribute names
/// with their units, per-item results in bulk.
@Suite struct SensorRegistryTests {
    @Test func aSensorIsLocatedToItsStreetAndKeepsFIWARENames() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            var sensor = VitalsFixtures.sensor(
                "aq-1", kind: "air_quality", attributes: [("pm25", "µg/m³"), ("no2", "GQ")])
            try await VitalsFixtures.post(app, "/api/v1/sensors", token: token, json: sensor) { res in
                #expect(res.status == .created, "\(res.body.string)")
                #expect(res.headers.first(name: .location) == "/api/v1/sensors/aq-1")
                let dto = try res.content.decode(SensorDTO.self)
                #expect(dto.districtCode == "310107" && dto.streetCode == "310107005")
                #expect(dto.regionCode == "310107005" && dto.locateMethod == "address_text")
                #expect(
                    dto.attributes == [
                        .init(name: "no2", unit: "GQ", model: "AirQualityObserved"),
                        .init(name: "pm25", unit: "GQ", model: "AirQualityObserved"),
                    ])
            }
            try await VitalsFixtures.post(app, "/api/v1/sensors", token: token, json: sensor) { res in
                #expect(res.status == .conflict)
            }
            sensor["id"] = "aq-2"
            sensor["attributes"] = [["name": "pm2.5", "unit": "GQ"]]
            try await VitalsFixtures.post(app, "/api/v1/sensors", token: token, json: sensor) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("unknown_attribute"))
            }
            sensor["attributes"] = [["name": "pm25", "unit": "CEL"]]
            try await VitalsFixtures.post(app, "/api/v1/sensors", token: token, json: sensor) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("unit_mismatch"))
            }
            try await app.testing().test(.GET, "/api/v1/sensors/aq-1", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/sensors/nope", headers: .bearer(token)) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/api/v1/sensors?region=310107", headers: .bearer(token)) { res in
                let ids = try res.content.decode([SensorDTO].self).map(\.id)
                #expect(ids == ["aq-1"])
            }
            try await app.testing().test(.GET, "/api/v1/sensors?region=310101", headers: .bearer(token)) { res in
                let ids = try res.content.decode([SensorDTO].self).map(\.id)
                #expect(ids.isEmpty)
            }
        }
    }

    @Test func bulkRegistrationReportsEachSensor() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("old"))
            var badKind = VitalsFixtures.sensor("b")
            badKind["kind"] = "volcano"
            var farAway = VitalsFixtures.sensor("c")
            farAway["lat"] = 39.9
            farAway["long"] = 116.4
            let file: [String: Any] = [
                "sensors": [
                    VitalsFixtures.sensor("a"), badKind, farAway, VitalsFixtures.sensor("a"),
                    VitalsFixtures.sensor("old"),
                    VitalsFixtures.sensor("d", kind: "ponding", attributes: [("waterDepth", "cm")]),
                ]
            ]
            try await VitalsFixtures.post(app, "/api/v1/sensor-imports", token: token, json: file) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let result = try res.content.decode(BatchResultDTO.self)
                #expect(result.items.map(\.status) == ["created", "error", "error", "error", "error", "created"])
                #expect(
                    result.items.compactMap(\.error?.code) == ["unknown_kind", "location", "duplicate_id", "taken"])
                #expect(result.accepted == 2 && result.errors == 4)
            }
            #expect(try await VitalsFixtures.count(app, "sensors") == 3)
        }
    }
}
