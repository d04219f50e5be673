import Foundation

/// Where a camera incident stands (`camera_incidents.status`).
public enum IncidentStatus: String, CaseIterable, Sendable, Codable {
    /// Seen, not yet long enough (or not yet confirmed to be needed): nothing opened.
    case tracking
    /// Seen long enough; waits for an operator to confirm or reject it.
    case awaitingConfirmation = "awaiting_confirmation"
    /// A new report and case were opened for it.
    case caseOpened = "case_opened"
    /// Its report joined an open case about the same place and category (a hotline call's, say).
    case caseMerged = "case_merged"
    /// An operator rejected it: a false positive of the camera's algorithm.
    case rejected
}

/// One incident of a (camera, detection type): sightings close together in observed time, as the rules see it.
public struct IncidentTrack: Sendable, Equatable {
    /// Observed time of the earliest and the latest sighting that counted.
    public var firstSeen: Date
    public var lastSeen: Date
    /// Sightings that counted.
    public var count: Int
    public var maxConfidence: Double
    public var status: IncidentStatus

    public init(firstSeen: Date, lastSeen: Date, count: Int, maxConfidence: Double, status: IncidentStatus) {
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.maxConfidence = maxConfidence
        self.status = status
    }

    /// How long it has been seen, in seconds (first to latest sighting).
    public var seenFor: TimeInterval { lastSeen.timeIntervalSince(firstSeen) }
}

/// The deduplication and opening rules of camera detections (CityNet issue 11 §4), over observed (event) time.
///
/// A sighting is one detection at or above the confidence threshold. Sightings of one (camera, type) whose gaps are
/// at most ``DetectionSettings/gapSeconds`` are one incident, however often the algorithm reports it; once seen for
/// ``DetectionSettings/persistSeconds`` it opens a case, or waits for an operator when
/// ``DetectionSettings/requiresConfirmation`` is set. Sightings arrive in any order: one up to a gap before the
/// incident's first sighting or after its latest joins it.
public enum IncidentRules {
    /// Where a sighting goes.
    public enum Placement: Equatable, Sendable {
        /// Into the active incident.
        case join
        /// A new incident; `endsActive` when the active one is over (the sighting comes more than a gap after it).
        case start(endsActive: Bool)
        /// Before the active incident by more than a gap: an earlier incident, already over. It is stored but
        /// tracked by nothing.
        case tooOld
    }

    /// Whether a detection of `confidence` counts as a sighting.
    public static func counts(confidence: Double, settings: DetectionSettings) -> Bool {
        confidence >= settings.minConfidence
    }

    /// Where a sighting observed at `observed` goes, given the active incident of its camera and type.
    public static func place(_ observed: Date, active: IncidentTrack?, settings: DetectionSettings) -> Placement {
        guard let active else { return .start(endsActive: false) }
        let gap = TimeInterval(settings.gapSeconds)
        if observed.timeIntervalSince(active.lastSeen) > gap { return .start(endsActive: true) }
        if active.firstSeen.timeIntervalSince(observed) > gap { return .tooOld }
        return .join
    }

    /// A new incident from its first sighting.
    public static func start(observed: Date, confidence: Double) -> IncidentTrack {
        IncidentTrack(firstSeen: observed, lastSeen: observed, count: 1, maxConfidence: confidence, status: .tracking)
    }

    /// The incident with one more sighting.
    public static func join(_ track: IncidentTrack, observed: Date, confidence: Double) -> IncidentTrack {
        var next = track
        next.firstSeen = min(track.firstSeen, observed)
        next.lastSeen = max(track.lastSeen, observed)
        next.count += 1
        next.maxConfidence = max(track.maxConfidence, confidence)
        return next
    }

    /// What a tracked incident asks for.
    public enum Action: Equatable, Sendable {
        case none
        /// Open (or merge into) a case now.
        case openCase
        /// Wait for an operator's confirmation.
        case awaitConfirmation
    }

    /// What the incident asks for now: nothing until it has been seen for the persistence time; then a case, or an
    /// operator's confirmation first. Only a `tracking` incident asks for anything (each step happens once).
    public static func action(for track: IncidentTrack, settings: DetectionSettings) -> Action {
        guard track.status == .tracking, track.seenFor >= TimeInterval(settings.persistSeconds) else { return .none }
        return settings.requiresConfirmation ? .awaitConfirmation : .openCase
    }

    /// An operator's decision on an incident.
    public enum Decision: String, Sendable {
        case confirm, reject
    }

    /// The status after an operator's decision: a confirmation opens the case, a rejection marks a false positive.
    /// - Throws: ``IncidentDecisionProblem`` unless the incident awaits confirmation.
    public static func decide(_ decision: Decision, status: IncidentStatus) throws(IncidentDecisionProblem)
        -> IncidentStatus
    {
        guard status == .awaitingConfirmation else { throw .notAwaitingConfirmation(status) }
        return decision == .confirm ? .caseOpened : .rejected
    }
}

/// Why an operator's decision is refused (409).
public enum IncidentDecisionProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case notAwaitingConfirmation(IncidentStatus)

    public var description: String {
        switch self {
        case .notAwaitingConfirmation(let status): "the incident is \(status.rawValue), not awaiting_confirmation"
        }
    }
}
