import Foundation
import Vapor

/// ISO 8601 timestamps with the Asia/Shanghai offset (`2026-11-29T19:14:06+08:00`), used in every JSON body.
enum Timestamps {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: shanghai)

    /// `date` as ISO 8601 with offset, second precision.
    static func format(_ date: Date) -> String { style.format(date) }

    /// Parses ISO 8601 with an offset or `Z` (`2024-09-27T10:00:00+08:00`, fractions of a second allowed); nil
    /// for anything else, including a valid timestamp followed by more text (`…Zjunk`), which Foundation's parser
    /// alone accepts.
    static func parse(_ text: String) -> Date? {
        let whole = text.startIndex..<text.endIndex
        guard let (end, date) = try? Date.ISO8601FormatStyle().consuming(text, startingAt: text.startIndex, in: whole),
            end == text.endIndex
        else { return nil }
        return date
    }

    /// The JSON coders for the API: dates as above, keys as declared (DTOs use snake_case coding keys).
    static func install(on app: Application) {
        let encoder = jsonEncoder()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 timestamp with offset, got \(text)")
            }
            return date
        }
        ContentConfiguration.global.use(encoder: encoder, for: .json)
        ContentConfiguration.global.use(decoder: decoder, for: .json)
    }

    /// The API's JSON encoder: dates as ``format(_:)``, keys sorted, slashes unescaped.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }
}
