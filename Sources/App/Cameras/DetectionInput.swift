import CityDomain
import Foundation
import Vapor

/// One detection as a video algorithm sends it (`POST /api/v1/camera-detections`, an item of
/// `POST /api/v1/camera-detections/batch`). Every field is optional here so that a missing one is a per-item error,
/// not a refused batch.
struct DetectionInput: Content {
    struct Box: Content {
        var x: ReadingValueInput?
        var y: ReadingValueInput?
        var width: ReadingValueInput?
        var height: ReadingValueInput?
    }

    var cameraID: String?
    var type: String?
    var algorithm: String?
    var algorithmVersion: String?
    /// The algorithm's own id of the detection: the idempotency key with the camera and algorithm.
    var detectionID: String?
    var confidence: ReadingValueInput?
    var observedAt: String?
    /// The frame as base64 PNG or JPEG.
    var snapshot: String?
    var box: Box?

    enum CodingKeys: String, CodingKey {
        case type, algorithm, confidence, snapshot, box
        case cameraID = "camera_id", algorithmVersion = "algorithm_version", detectionID = "detection_id"
        case observedAt = "observed_at"
    }
}

/// A batch of detections as sent.
struct DetectionBatchInput: Content, InputTextFields {
    var detections: [DetectionInput]

    var inputTextFields: [(name: String, text: String?)] {
        detections.flatMap { item -> [(name: String, text: String?)] in
            // The snapshot is base64 (checked strictly when decoded), so it is left out of the text checks.
            [
                ("cameraID", item.cameraID), ("type", item.type), ("algorithm", item.algorithm),
                ("algorithmVersion", item.algorithmVersion), ("detectionID", item.detectionID),
                ("observedAt", item.observedAt),
            ]
        }
    }
}

/// A detection that passed the checks that need no database.
struct ParsedDetection: Sendable, Equatable {
    var cameraID: String
    var type: DetectionType
    var algorithm: String
    var algorithmVersion: String
    var sourceID: String
    var confidence: Double
    var observedMS: Int64
    var snapshot: CameraSnapshot?
    var box: DetectionBox?

    /// The idempotency key (`camera_detections_key`).
    var key: DetectionKey { DetectionKey(cameraID: cameraID, algorithm: algorithm, sourceID: sourceID) }
}

/// (camera, algorithm, the algorithm's detection id): at most one stored detection each.
struct DetectionKey: Hashable, Sendable {
    var cameraID: String
    var algorithm: String
    var sourceID: String
}

/// Why one detection is refused: a stable code and a message (per item; nothing stored for it).
struct DetectionItemError: Error, Sendable, Equatable {
    var code: String
    var message: String

    static func missing(_ field: String) -> Self { .init(code: "missing_field", message: "\(field) is required") }
}

extension DetectionInput {
    /// Longest camera id, algorithm name, version and detection id, in characters.
    static let maxNameLength = 128

    /// Checks the fields that need no database: presence, a known type, short names, a confidence from 0 to 1, an
    /// ISO 8601 time at most 5 minutes ahead of `now` (``ReadingRules/checkObserved(_:now:)``, the readings' rule),
    /// a PNG or JPEG snapshot, and a box inside it.
    func parsed(now: Date) throws(DetectionItemError) -> ParsedDetection {
        guard let cameraID, !cameraID.isEmpty else { throw .missing("camera_id") }
        guard let type, !type.isEmpty else { throw .missing("type") }
        guard let algorithm, !algorithm.isEmpty else { throw .missing("algorithm") }
        guard let algorithmVersion, !algorithmVersion.isEmpty else { throw .missing("algorithm_version") }
        guard let detectionID, !detectionID.isEmpty else { throw .missing("detection_id") }
        guard let confidence else { throw .missing("confidence") }
        guard let observedAt else { throw .missing("observed_at") }
        for (field, text) in [
            ("camera_id", cameraID), ("algorithm", algorithm), ("algorithm_version", algorithmVersion),
            ("detection_id", detectionID),
        ] where text.count > Self.maxNameLength {
            throw DetectionItemError(code: "bad_text", message: "\(field) is longer than \(Self.maxNameLength)")
        }
        guard let known = DetectionType(rawValue: type) else {
            throw Self.problem(DetectionProblem.unknownType(type))
        }
        let value: Double
        do {
            value = try DetectionRules.confidence(try confidence.checked())
        } catch let problem as ReadingProblem {
            throw DetectionItemError(code: problem.code, message: "confidence: \(problem)")
        } catch {
            throw Self.problem(error as? DetectionProblem ?? .badConfidence("?"))
        }
        guard let observed = ReadingTime.parse(observedAt) else {
            throw Self.problem(ReadingProblem.badTime(observedAt))
        }
        do { try ReadingRules.checkObserved(observed, now: now) } catch { throw Self.problem(error) }
        var image: CameraSnapshot?
        if let snapshot {
            do { image = try CameraSnapshot(base64: snapshot) } catch {
                throw DetectionItemError(code: "bad_snapshot", message: error.message)
            }
        }
        var checkedBox: DetectionBox?
        if let box {
            guard let image else {
                throw DetectionItemError(code: "bad_box", message: "a box needs the snapshot it is drawn on")
            }
            var coordinates: [Double] = []
            for (name, input) in [("x", box.x), ("y", box.y), ("width", box.width), ("height", box.height)] {
                guard let input else { throw .missing("box.\(name)") }
                do { coordinates.append(try input.checked()) } catch {
                    throw DetectionItemError(code: "bad_box", message: "box.\(name): \(error)")
                }
            }
            do {
                checkedBox = try DetectionRules.box(
                    DetectionBox(x: coordinates[0], y: coordinates[1], width: coordinates[2], height: coordinates[3]),
                    imageWidth: image.width, imageHeight: image.height)
            } catch { throw Self.problem(error) }
        }
        return ParsedDetection(
            cameraID: cameraID, type: known, algorithm: algorithm, algorithmVersion: algorithmVersion,
            sourceID: detectionID, confidence: value, observedMS: VitalsTime.ms(observed), snapshot: image,
            box: checkedBox)
    }

    private static func problem(_ problem: DetectionProblem) -> DetectionItemError {
        DetectionItemError(code: problem.code, message: problem.description)
    }

    private static func problem(_ problem: ReadingProblem) -> DetectionItemError {
        DetectionItemError(code: problem.code, message: problem.description)
    }
}
