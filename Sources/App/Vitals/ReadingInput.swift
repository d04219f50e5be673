import CityDomain
import Foundation
import Vapor

/// A reading's value as sent: a JSON number, a string holding one, or anything else (refused per item).
enum ReadingValueInput: Codable, Sendable {
    case number(Double)
    case text(String)
    case other(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .other("null")
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .other("\(flag)")
        } else {
            self = .other("a JSON array or object")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .text(let text), .other(let text): try container.encode(text)
        }
    }

    /// The finite value, or the problem.
    func checked() throws(ReadingProblem) -> Double {
        switch self {
        case .number(let number): try ReadingRules.value(number)
        case .text(let text): try ReadingRules.value(fromText: text)
        case .other(let text): throw .notNumeric(text)
        }
    }
}

/// One reading as sent (`POST /api/v1/readings`, an item of `POST /api/v1/readings/batch`). Every field is
/// optional here so that a missing one is a per-item error, not a refused batch.
struct ReadingInput: Content {
    var sensorID: String?
    var attribute: String?
    var value: ReadingValueInput?
    var unit: String?
    var observedAt: String?

    enum CodingKeys: String, CodingKey {
        case sensorID = "sensor_id"
        case attribute, value, unit
        case observedAt = "observed_at"
    }
}

/// A batch of readings as sent.
struct ReadingBatchInput: Content, InputTextFields {
    var readings: [ReadingInput]

    var inputTextFields: [(name: String, text: String?)] {
        var fields: [(name: String, text: String?)] = []
        fields.reserveCapacity(readings.count * 5)
        for reading in readings {
            fields.append(("sensorID", reading.sensorID))
            fields.append(("attribute", reading.attribute))
            fields.append(("unit", reading.unit))
            fields.append(("observedAt", reading.observedAt))
            switch reading.value {
            case .text(let text)?, .other(let text)?: fields.append(("value", text))
            case .number?, nil: break
            }
        }
        return fields
    }
}

/// A reading that passed the checks that need no database.
struct ParsedReading: Sendable, Equatable {
    var sensorID: String
    var attribute: String
    var value: Double
    var unit: String?
    var observedMS: Int64

    /// The idempotency key.
    var key: ReadingKey { ReadingKey(sensorID: sensorID, attribute: attribute, observedMS: observedMS) }
}

/// (sensor, attribute, observed time): at most one stored reading each (`readings_key`).
struct ReadingKey: Hashable, Sendable {
    var sensorID: String
    var attribute: String
    var observedMS: Int64
}

/// Per-item problems before the domain's (a missing field); the domain's ``ReadingProblem`` otherwise.
enum ReadingItemError: Error, Sendable, Equatable {
    case missing(String)
    case problem(ReadingProblem)

    var code: String {
        switch self {
        case .missing: "missing_field"
        case .problem(let problem): problem.code
        }
    }

    var message: String {
        switch self {
        case .missing(let field): "\(field) is required"
        case .problem(let problem): problem.description
        }
    }
}

extension ReadingInput {
    /// Checks the fields that need no database: presence, a finite number, an ISO 8601 time at most 5 minutes
    /// ahead of `now`.
    func parsed(now: Date) throws(ReadingItemError) -> ParsedReading {
        guard let sensorID, !sensorID.isEmpty else { throw .missing("sensor_id") }
        guard let attribute, !attribute.isEmpty else { throw .missing("attribute") }
        guard let value else { throw .missing("value") }
        guard let observedAt else { throw .missing("observed_at") }
        let number: Double
        do { number = try value.checked() } catch { throw .problem(error) }
        guard let observed = ReadingTime.parse(observedAt) else { throw .problem(.badTime(observedAt)) }
        do { try ReadingRules.checkObserved(observed, now: now) } catch { throw .problem(error) }
        return ParsedReading(
            sensorID: sensorID, attribute: attribute, value: number, unit: unit, observedMS: VitalsTime.ms(observed))
    }
}

/// Observed times: ISO 8601 with a time zone, with or without fractional seconds.
enum ReadingTime {
    static func parse(_ text: String) -> Date? {
        if let date = Timestamps.parse(text) { return date }
        let whole = text.startIndex..<text.endIndex
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let (end, date) = try? style.consuming(text, startingAt: text.startIndex, in: whole),
            end == text.endIndex
        else { return nil }
        return date
    }
}
