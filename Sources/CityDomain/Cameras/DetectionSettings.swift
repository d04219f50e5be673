import Foundation

/// How detections of one type (on one camera, or on every camera) become an incident and a case: stored as data
/// (`camera_settings`), checked by ``validated()``, with ``defaults(for:)`` where nothing is stored.
public struct DetectionSettings: Sendable, Equatable, Codable {
    /// The longest gap between two sightings, in seconds, that still belongs to one incident (a parked car hidden
    /// by a passing bus or lost by the algorithm at dusk). 0…86,400.
    public var gapSeconds: Int
    /// How long, in seconds from the first sighting to the latest, an incident must be seen before it opens
    /// anything. 0…86,400.
    public var persistSeconds: Int
    /// The lowest confidence, 0…1, of a sighting that counts; weaker detections are stored but neither start nor
    /// extend an incident.
    public var minConfidence: Double
    /// Whether an operator must confirm the incident before its case opens (a rejection counts as a false
    /// positive of the camera and algorithm).
    public var requiresConfirmation: Bool

    public init(gapSeconds: Int, persistSeconds: Int, minConfidence: Double, requiresConfirmation: Bool) {
        self.gapSeconds = gapSeconds
        self.persistSeconds = persistSeconds
        self.minConfidence = minConfidence
        self.requiresConfirmation = requiresConfirmation
    }

    /// The largest gap and persistence, in seconds: one day.
    public static let maxSeconds = 86_400

    /// The settings when they are valid.
    /// - Throws: ``DetectionSettingsProblem`` naming the first bad field.
    public func validated() throws(DetectionSettingsProblem) -> DetectionSettings {
        guard (0...Self.maxSeconds).contains(gapSeconds) else { throw .outOfRange("gap_seconds") }
        guard (0...Self.maxSeconds).contains(persistSeconds) else { throw .outOfRange("persist_seconds") }
        guard minConfidence.isFinite, (0...1).contains(minConfidence) else { throw .outOfRange("min_confidence") }
        return self
    }

    /// The built-in settings of a detection type, used where no row is stored.
    ///
    /// Source: our judgement, not a measurement (no labelled 城市之眼 detections are public). The gap of 10 minutes
    /// covers the drop-outs the issue names (a car occluded by traffic, lost for a few minutes at a lighting
    /// change) while a car that leaves and another that parks after 10 minutes are two incidents. Persistence is
    /// longer than the legitimate stops of each type: a drop-off or a delivery in a fire lane or at a kerb takes a
    /// minute or two (3 and 5 minutes); bicycles, stalls and garbage bags come and go within minutes before a
    /// collection or a rush hour passes (10 and 15 minutes); standing water and an open manhole are hazards as soon
    /// as they are seen for a minute or two. Confidence 0.6 is the usual operating point of such detectors; an open
    /// manhole's 0.7 and the confirmation required for it and for street vending (an enforcement against a person)
    /// follow from the cost of a false dispatch.
    public static func defaults(for type: DetectionType) -> DetectionSettings {
        switch type {
        case .fireLaneParking:
            .init(gapSeconds: 600, persistSeconds: 180, minConfidence: 0.6, requiresConfirmation: false)
        case .illegalParking:
            .init(gapSeconds: 600, persistSeconds: 300, minConfidence: 0.6, requiresConfirmation: false)
        case .bikeParkingPavement:
            .init(gapSeconds: 600, persistSeconds: 600, minConfidence: 0.6, requiresConfirmation: false)
        case .exposedGarbage:
            .init(gapSeconds: 600, persistSeconds: 900, minConfidence: 0.6, requiresConfirmation: false)
        case .streetVending: .init(gapSeconds: 600, persistSeconds: 600, minConfidence: 0.6, requiresConfirmation: true)
        case .roadPonding: .init(gapSeconds: 600, persistSeconds: 120, minConfidence: 0.6, requiresConfirmation: false)
        case .missingManholeCover:
            .init(gapSeconds: 600, persistSeconds: 60, minConfidence: 0.7, requiresConfirmation: true)
        }
    }

    /// The settings in force for `type` on `camera`: the camera's own row, else the row for every camera, else
    /// ``defaults(for:)``.
    /// - Parameter stored: rows keyed by (camera id or ``everyCamera``, type).
    public static func resolve(
        _ type: DetectionType, camera: String, stored: [SettingsKey: DetectionSettings]
    ) -> DetectionSettings {
        stored[SettingsKey(camera: camera, type: type)] ?? stored[SettingsKey(camera: everyCamera, type: type)]
            ?? defaults(for: type)
    }

    /// The camera id of settings that apply to every camera.
    public static let everyCamera = "*"

    /// The key of stored settings.
    public struct SettingsKey: Hashable, Sendable {
        public var camera: String
        public var type: DetectionType
        public init(camera: String, type: DetectionType) {
            self.camera = camera
            self.type = type
        }
    }
}

/// Why settings are refused (400).
public enum DetectionSettingsProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field, out of its range.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .outOfRange("min_confidence"): "min_confidence must be a number from 0 to 1"
        case .outOfRange(let field): "\(field) must be 0…\(DetectionSettings.maxSeconds) seconds"
        }
    }
}
