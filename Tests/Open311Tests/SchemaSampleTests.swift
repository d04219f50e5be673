import Foundation
import Testing

@testable import Open311

/// Keeps `Fixtures/samples/*.json` equal to what the encoder writes, so that `Fixtures/validate_schemas.py` checks
/// real output against the GeoReport v2 JSON Schemas. Set `OPEN311_RECORD_SAMPLES=1` to rewrite the files.
///
/// The files are found next to this source file (`#filePath`), so the test target needs no resources.
@Suite("JSON samples for the schema check")
struct SchemaSampleTests {
    static let samplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/samples")

    /// A request at the edges: a description of exactly 4,000 code points (the spec's and request.json's limit),
    /// markup, an emoji, a far-west coordinate.
    static let limitsRequest: Open311ServiceRequest = {
        var request = Samples.openRequest
        let head = "边界 <b>&amp;</b> \"引号\" 🚒 "
        request.description = head + String(repeating: "堵", count: 4000 - head.unicodeScalars.count)
        request.lat = -89.999999
        request.long = -179.5
        return request
    }()

    static func samples() throws -> [(name: String, json: Data)] {
        func json<T: Open311Document>(_ value: T) throws -> Data { try Open311Encoder.encode(value, format: .json) }
        return [
            ("services.json", try json(Samples.services)),
            ("service-definition.json", try json(Samples.definition)),
            ("requests.json", try json([Samples.openRequest, Samples.closedRequest])),
            ("requests.empty.json", try json([Open311ServiceRequest]())),
            ("requests.limits.json", try json([limitsRequest])),
            ("request-created.json", try json([Samples.created])),
            ("request-created.token.json", try json([Samples.createdWithToken])),
            ("request-created.blackbox.json", try json([Open311RequestCreated(identifier: nil)])),
            ("token.json", try json([Samples.token])),
            ("request-updates.json", try json(Samples.updates)),
            ("discovery.json", try json(Samples.discovery)),
            ("errors.json", Open311Encoder.encode(errors: Samples.errors, format: .json)),
            (
                "errors.forbidden.json",
                Open311Encoder.encode(errors: Open311InputError.missingAPIKey.errors, format: .json)
            ),
        ]
    }

    @Test("the 4,000-character description of the limits sample is accepted by the POST parser too")
    func limitIsConsistent() throws {
        let text = try #require(Self.limitsRequest.description)
        #expect(text.unicodeScalars.count == 4000)
        _ = try Open311RequestSubmission(form: [
            "api_key": "k", "service_code": "x", "address_id": "A", "description": text,
        ])
    }

    @Test("samples on disk equal the encoder's output")
    func samplesMatch() throws {
        let record = ProcessInfo.processInfo.environment["OPEN311_RECORD_SAMPLES"] == "1"
        let expected = try Self.samples()
        if record {
            try FileManager.default.createDirectory(at: Self.samplesFolder, withIntermediateDirectories: true)
        }
        for (name, data) in expected {
            let url = Self.samplesFolder.appendingPathComponent(name)
            if record {
                try (data + Data("\n".utf8)).write(to: url)
            } else {
                let onDisk = try Data(contentsOf: url)
                #expect(
                    onDisk == data + Data("\n".utf8),
                    "\(name) differs from the encoder's output; rerun with OPEN311_RECORD_SAMPLES=1 and review the diff"
                )
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.samplesFolder.path).filter {
            $0.hasSuffix(".json")
        }
        #expect(Set(files) == Set(expected.map(\.name)), "stale or missing sample files")
    }
}
