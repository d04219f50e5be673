import Foundation
import Testing

@testable import CityDomain

@Suite struct IncidentRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let settings = DetectionSettings(
        gapSeconds: 600, persistSeconds: 180, minConfidence: 0.6, requiresConfirmation: false)

    /// Runs sightings (seconds after t0) through the rules as one camera and type would.
    static func run(_ seconds: [Int], settings: DetectionSettings = settings) -> (
        incidents: [IncidentTrack], actions: [IncidentRules.Action]
    ) {
        var done: [IncidentTrack] = []
        var active: IncidentTrack?
        var actions: [IncidentRules.Action] = []
        for second in seconds {
            let at = t0.addingTimeInterval(TimeInterval(second))
            switch IncidentRules.place(at, active: active, settings: settings) {
            case .tooOld: continue
            case .join: active = active.map { IncidentRules.join($0, observed: at, confidence: 0.9) }
            case .start(let ends):
                if ends, let previous = active { done.append(previous) }
                active = IncidentRules.start(observed: at, confidence: 0.9)
            }
            let action = IncidentRules.action(for: active!, settings: settings)
            if action == .openCase { active?.status = .caseOpened }
            if action == .awaitConfirmation { active?.status = .awaitingConfirmation }
            actions.append(action)
        }
        return (done + [active].compactMap { $0 }, actions)
    }

    @Test func aCarSeenEveryFewSecondsIsOneIncidentThatOpensOnceAfterPersisting() {
        let result = Self.run(Array(stride(from: 0, through: 600, by: 5)))
        #expect(result.incidents.count == 1)
        #expect(result.incidents[0].count == 121)
        // Opens at the sighting 180 s after the first, and never again.
        #expect(result.actions.filter { $0 == .openCase }.count == 1)
        #expect(result.actions.firstIndex(of: .openCase) == 36)
    }

    @Test func aDropOutShorterThanTheGapKeepsTheIncidentALongerOneStartsANewOne() {
        // Lost for 8 minutes (a lighting change): the same incident.
        #expect(Self.run([0, 60, 540, 600]).incidents.count == 1)
        // Gone for 11 minutes: a new incident, and the first ended at its last sighting.
        let split = Self.run([0, 60, 60 + 601])
        #expect(split.incidents.count == 2)
        #expect(split.incidents[0].lastSeen == Self.t0.addingTimeInterval(60))
    }

    @Test func aShortStopOpensNothing() {
        #expect(Self.run([0, 30, 90, 170]).actions.allSatisfy { $0 == .none })
    }

    @Test func lateSightingsJoinByObservedTimeAndOlderOnesAreLeftAlone() {
        let active = IncidentRules.start(observed: Self.t0.addingTimeInterval(1000), confidence: 0.7)
        #expect(IncidentRules.place(Self.t0.addingTimeInterval(500), active: active, settings: Self.settings) == .join)
        #expect(
            IncidentRules.place(Self.t0.addingTimeInterval(399), active: active, settings: Self.settings) == .tooOld)
        let joined = IncidentRules.join(active, observed: Self.t0.addingTimeInterval(500), confidence: 0.95)
        #expect(joined.firstSeen == Self.t0.addingTimeInterval(500) && joined.lastSeen == active.lastSeen)
        #expect(joined.count == 2 && joined.maxConfidence == 0.95)
        // Seen from 500 to 1000 s: persisted, although it arrived last.
        #expect(IncidentRules.action(for: joined, settings: Self.settings) == .openCase)
    }

    @Test func theConfidenceThresholdDecidesWhatCounts() {
        #expect(IncidentRules.counts(confidence: 0.6, settings: Self.settings))
        #expect(!IncidentRules.counts(confidence: 0.599, settings: Self.settings))
    }

    @Test func confirmationIsAskedOnceAndDecidedOnce() throws {
        var settings = Self.settings
        settings.requiresConfirmation = true
        let result = Self.run(Array(stride(from: 0, through: 400, by: 10)), settings: settings)
        #expect(result.actions.filter { $0 == .awaitConfirmation }.count == 1)
        #expect(!result.actions.contains(.openCase))
        #expect(try IncidentRules.decide(.confirm, status: .awaitingConfirmation) == .caseOpened)
        #expect(try IncidentRules.decide(.reject, status: .awaitingConfirmation) == .rejected)
        for status in [IncidentStatus.tracking, .caseOpened, .caseMerged, .rejected] {
            #expect(throws: IncidentDecisionProblem.notAwaitingConfirmation(status)) {
                try IncidentRules.decide(.reject, status: status)
            }
        }
    }

    @Test func settingsAreValidatedAndResolvedCameraFirst() throws {
        #expect(throws: DetectionSettingsProblem.outOfRange("gap_seconds")) {
            try DetectionSettings(gapSeconds: -1, persistSeconds: 0, minConfidence: 0.5, requiresConfirmation: false)
                .validated()
        }
        #expect(throws: DetectionSettingsProblem.outOfRange("persist_seconds")) {
            try DetectionSettings(
                gapSeconds: 0, persistSeconds: 86_401, minConfidence: 0.5, requiresConfirmation: false
            ).validated()
        }
        for bad in [Double.nan, -0.1, 1.01, .infinity] {
            #expect(throws: DetectionSettingsProblem.outOfRange("min_confidence")) {
                try DetectionSettings(gapSeconds: 0, persistSeconds: 0, minConfidence: bad, requiresConfirmation: false)
                    .validated()
            }
        }
        let city = DetectionSettings(gapSeconds: 60, persistSeconds: 0, minConfidence: 0.5, requiresConfirmation: true)
        let own = DetectionSettings(gapSeconds: 30, persistSeconds: 0, minConfidence: 0.9, requiresConfirmation: false)
        let stored: [DetectionSettings.SettingsKey: DetectionSettings] = [
            .init(camera: "*", type: .fireLaneParking): city, .init(camera: "cam-1", type: .fireLaneParking): own,
        ]
        #expect(DetectionSettings.resolve(.fireLaneParking, camera: "cam-1", stored: stored) == own)
        #expect(DetectionSettings.resolve(.fireLaneParking, camera: "cam-2", stored: stored) == city)
        #expect(
            DetectionSettings.resolve(.exposedGarbage, camera: "cam-1", stored: stored)
                == DetectionSettings.defaults(for: .exposedGarbage))
        for type in DetectionType.allCases { _ = try DetectionSettings.defaults(for: type).validated() }
    }

    @Test func boxesMustLieInsideTheImage() throws {
        let ok = DetectionBox(x: 10, y: 20, width: 100, height: 50)
        #expect(try DetectionRules.box(ok, imageWidth: 110, imageHeight: 70) == ok)
        let bad: [DetectionBox] = [
            .init(x: -1, y: 0, width: 10, height: 10), .init(x: 0, y: 0, width: 0, height: 10),
            .init(x: 0, y: .nan, width: 10, height: 10), .init(x: 101, y: 0, width: 10, height: 10),
            .init(x: 0, y: 61, width: 10, height: 10),
        ]
        for box in bad {
            #expect(throws: DetectionProblem.self) { try DetectionRules.box(box, imageWidth: 110, imageHeight: 70) }
        }
        #expect(throws: DetectionProblem.badConfidence("1.5")) { try DetectionRules.confidence(1.5) }
        #expect(throws: DetectionProblem.self) { try DetectionRules.confidence(.nan) }
    }

    @Test func everyTypeOpensAFineCategory() {
        let codes = DetectionType.allCases.map(\.categoryCode)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.contains(".") })
    }
}
