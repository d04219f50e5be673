import Foundation

/// Where a fact behind a personal status comes from: each source sends through its own ingestion endpoint with its
/// own API key scope (CityNet issue #16 §1), except the citizen's own declaration, which comes through their session.
public enum FactSource: String, Codable, CaseIterable, Sendable {
    /// A government register (health commission, public security): orders, test results, vaccinations.
    case govRegister = "gov_register"
    /// A mobile carrier's presence records (a subscriber seen in an area).
    case carrier
    /// A transit operator's trips (a card tapped on a line or at a station).
    case transit
    /// The citizen's own declaration (self-reported symptoms, travel).
    case selfDeclaration = "self_declaration"

    /// Name for the citizen's page, in Chinese and English.
    public func name(zh: Bool) -> String {
        switch self {
        case .govRegister: zh ? "政府部门登记" : "government register"
        case .carrier: zh ? "通信运营商位置记录" : "mobile carrier presence records"
        case .transit: zh ? "公共交通出行记录" : "public transport trips"
        case .selfDeclaration: zh ? "本人申报" : "your own declaration"
        }
    }
}

/// One fact about a person from one source: what the source observed, when, and until when it counts.
///
/// The subject is stored as the identity number's keyed hash (the app's ``IdentityVault`` lookup), never the
/// number. Facts are evidence and are never shown to a checkpoint; a status code carries none of them.
public struct StatusFact: Sendable, Hashable, Codable {
    /// The stored id (unique per source and the source's own id).
    public var id: String
    public var source: FactSource
    /// What was observed, e.g. `quarantine_order`, `nucleic_acid_test`, `presence`, `trip`, `symptoms`.
    public var kind: String
    /// The observed value, e.g. `active`, `positive`, `negative`, an area code; rules match it exactly.
    public var value: String
    /// Seconds since 1970 (UTC).
    public var observedAt: Int64
    /// Seconds since 1970 (UTC) after which the fact no longer counts; nil: it counts until a rule's recency window
    /// leaves it behind.
    public var expiresAt: Int64?

    public init(id: String, source: FactSource, kind: String, value: String, observedAt: Int64, expiresAt: Int64?) {
        self.id = id
        self.source = source
        self.kind = kind
        self.value = value
        self.observedAt = observedAt
        self.expiresAt = expiresAt
    }

    /// Whether the fact still counts at `now`.
    public func isLive(at now: Int64) -> Bool { expiresAt.map { now < $0 } ?? true }
}

/// Why one fact of an ingestion request was refused (the per-item errors of the fact ingestion API).
public enum FactProblem: Error, Equatable, Sendable {
    case missingField(String)
    /// A kind outside `a-z 0-9 _ .`, 1–64 characters.
    case invalidKind(String)
    /// A value longer than 200 characters or holding control characters.
    case invalidValue
    /// A source id that is empty or longer than 128 characters.
    case invalidSourceID
    case invalidTime(field: String, text: String)
    /// Observed more than ``FactRules/futureTolerance`` seconds after now.
    case observedInFuture
    /// Expires at or before it was observed.
    case expiresBeforeObserved
    /// A subject that is not a valid identity number (GB 11643-1999).
    case invalidSubject(String)
    /// The same (source, source id) earlier in this batch.
    case duplicateInBatch(firstIndex: Int)
    /// Another fact under the same (source, source id) is stored already with other contents.
    case conflictsWithStored

    /// The item's error code.
    public var code: String {
        switch self {
        case .missingField: "missing_field"
        case .invalidKind: "invalid_kind"
        case .invalidValue: "invalid_value"
        case .invalidSourceID: "invalid_source_id"
        case .invalidTime: "invalid_time"
        case .observedInFuture: "observed_in_future"
        case .expiresBeforeObserved: "expires_before_observed"
        case .invalidSubject: "invalid_subject"
        case .duplicateInBatch: "duplicate_in_batch"
        case .conflictsWithStored: "conflicts_with_stored"
        }
    }

    /// The precise reason in English.
    public var message: String {
        switch self {
        case .missingField(let field): "\(field) is required"
        case .invalidKind(let kind): "kind '\(kind)' must be 1–64 characters of a-z, 0-9, '_' or '.'"
        case .invalidValue: "value must be at most 200 characters, without control characters"
        case .invalidSourceID: "source_id must be 1–128 characters"
        case .invalidTime(let field, let text):
            "\(field) '\(text)' is not an ISO 8601 time with a zone (2026-12-07T10:00:00+08:00)"
        case .observedInFuture: "observed_at is more than 5 minutes in the future"
        case .expiresBeforeObserved: "expires_at must be after observed_at"
        case .invalidSubject(let problem): "identity_number is not valid: \(problem)"
        case .duplicateInBatch(let index): "the same source_id as item \(index) of this batch"
        case .conflictsWithStored: "a fact with this source_id is stored with other contents"
        }
    }
}

/// The checks every fact passes before it is stored, whatever its source.
public enum FactRules {
    /// How far past now an observed time may lie (clock differences between sources), in seconds.
    public static let futureTolerance: Int64 = 300

    /// Checks kind, value, source id and times of one fact.
    /// - Parameters: times in seconds since 1970 (UTC).
    /// - Throws: the first ``FactProblem`` found.
    public static func check(
        kind: String, value: String, sourceID: String, observedAt: Int64, expiresAt: Int64?, now: Int64
    )
        throws(FactProblem)
    {
        guard (1...64).contains(kind.count),
            kind.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "."
            })
        else { throw .invalidKind(kind) }
        guard value.count <= 200, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidValue }
        guard (1...128).contains(sourceID.count) else { throw .invalidSourceID }
        guard observedAt <= now + futureTolerance else { throw .observedInFuture }
        if let expiresAt, expiresAt <= observedAt { throw .expiresBeforeObserved }
    }

    /// Parses an ISO 8601 time with a zone (fractional seconds allowed).
    /// - Returns: seconds since 1970, or nil.
    public static func time(_ text: String) -> Int64? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return Int64(date.timeIntervalSince1970.rounded(.down)) }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}
