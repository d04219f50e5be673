import Foundation

/// Why one reading is refused. Each maps to a per-item error code in the ingestion API; nothing is written for it.
public enum ReadingProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownSensor(String)
    case unknownAttribute(String, sensor: String)
    /// NaN or ±∞ in any spelling (`NaN`, `nan`, `inf`, `-Infinity`, `1e999`).
    case notFinite(String)
    case notNumeric(String)
    case unitMismatch(given: String, expected: String)
    case inFuture(observed: Date, limit: Date)
    case badTime(String)
    /// The same (sensor, attribute, observed time) earlier in the same batch.
    case duplicateInBatch(firstIndex: Int)
    /// A stored reading has this key with another value.
    case conflictsWithStored(stored: Double)

    /// The stable code of the problem, as the API reports it.
    public var code: String {
        switch self {
        case .unknownSensor: "unknown_sensor"
        case .unknownAttribute: "unknown_attribute"
        case .notFinite: "not_finite"
        case .notNumeric: "not_numeric"
        case .unitMismatch: "unit_mismatch"
        case .inFuture: "in_future"
        case .badTime: "bad_time"
        case .duplicateInBatch: "duplicate_in_batch"
        case .conflictsWithStored: "conflicts_with_stored"
        }
    }

    public var description: String {
        switch self {
        case .unknownSensor(let id): "unknown sensor '\(id)'"
        case .unknownAttribute(let name, let sensor): "sensor '\(sensor)' has no attribute '\(name)'"
        case .notFinite(let text): "value '\(text)' is not a finite number"
        case .notNumeric(let text): "value '\(text)' is not a number"
        case .unitMismatch(let given, let expected): "unit '\(given)' does not match the attribute's unit '\(expected)'"
        case .inFuture(let observed, let limit):
            "observed_at \(observed.ISO8601Format()) is more than 5 minutes ahead of the server (limit \(limit.ISO8601Format()))"
        case .badTime(let text): "observed_at '\(text)' is not an ISO 8601 date-time with a time zone"
        case .duplicateInBatch(let first): "the same sensor, attribute and observed_at as item \(first) of this batch"
        case .conflictsWithStored(let stored):
            "a reading with this sensor, attribute and observed_at is stored with another value (\(stored))"
        }
    }
}

/// Rules for a reading's value and observed time.
public enum ReadingRules {
    /// How far ahead of the receiving server's clock an observed time may be (clock skew of field devices).
    public static let futureTolerance: TimeInterval = 5 * 60

    /// A value given as text: a plain decimal number (optional sign, digits, optional fraction and exponent).
    /// - Throws: ``ReadingProblem/notFinite(_:)`` for NaN/∞ spellings or overflow, ``ReadingProblem/notNumeric(_:)``
    ///   for anything else (hexadecimal floats, blanks, words) that Swift's `Double(_:)` alone would accept or not.
    public static func value(fromText text: String) throws(ReadingProblem) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
        if ["nan", "inf", "infinity", "snan"].contains(lowered) { throw .notFinite(text) }
        guard trimmed.wholeMatch(of: /[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/) != nil, let number = Double(trimmed)
        else { throw .notNumeric(text) }
        return try value(number, text: text)
    }

    /// A value given as a number.
    /// - Throws: ``ReadingProblem/notFinite(_:)`` for NaN and ±∞.
    public static func value(_ number: Double, text: String? = nil) throws(ReadingProblem) -> Double {
        guard number.isFinite else { throw .notFinite(text ?? "\(number)") }
        return number
    }

    /// Checks a unit text against the attribute's unit code.
    /// - Parameter given: the reading's unit, or nil to take the attribute's.
    /// - Throws: ``ReadingProblem/unitMismatch(given:expected:)``.
    public static func checkUnit(_ given: String?, attribute: VitalAttribute) throws(ReadingProblem) {
        guard let given else { return }
        guard VitalAttribute.unitCode(for: given) == attribute.unit else {
            throw .unitMismatch(given: given, expected: attribute.unit)
        }
    }

    /// Checks an observed time is not too far ahead of the receiving server's clock.
    /// - Throws: ``ReadingProblem/inFuture(observed:limit:)``.
    public static func checkObserved(_ observed: Date, now: Date) throws(ReadingProblem) {
        let limit = now.addingTimeInterval(futureTolerance)
        guard observed <= limit else { throw .inFuture(observed: observed, limit: limit) }
    }
}
