import CityDomain
import Foundation
import Testing
import Vapor

@testable import App

/// The camera part of `openapi.json` names the server's own codes and limits, so the two cannot drift apart.
@Suite struct CameraAPIDescriptionTests {
    @Test func enumsAndLimitsAreTheServers() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await APIDescriptionTests.document(app)
            let types = DetectionType.allCases.map(\.rawValue)
            let statuses = IncidentStatus.allCases.map(\.rawValue)
            for (schema, field, values) in [
                ("DetectionInput", "type", types), ("CameraIncident", "type", types),
                ("CameraSettings", "type", types), ("CameraSettingsInput", "type", types),
                ("CameraIncident", "status", statuses), ("DetectionResult", "incident_status", statuses),
                ("CaseReport", "source", ReportSource.allCases.map(\.rawValue)),
            ] {
                #expect(doc.propertyEnum(schema, field) == values, "\(schema).\(field)")
            }
            #expect(doc.parameterEnum("get", "/api/v1/camera-incidents", "status") == statuses)
            #expect(doc.property("DetectionInput", "algorithm")?["maxLength"] as? Int == DetectionInput.maxNameLength)
            for field in ["gap_seconds", "persist_seconds"] {
                #expect(doc.property("CameraSettingsInput", field)?["maximum"] as? Int == DetectionSettings.maxSeconds)
            }
        }
    }
}
