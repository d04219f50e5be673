import Vapor

extension Request {
    /// Decodes the body as `T`, answering a malformed one with a 400 that names the field and what is wrong: a body
    /// that is not UTF-8 says so, and a JSON body that is not an object (an array, a number) is told it must be one.
    /// - Throws: ``LocalizedRefusal`` 400 (`body.*`, `input.*`: the API's reason in English, a console page's in its
    ///   language).
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        if (body.data?.readableBytes ?? 0) == 0 { throw LocalizedRefusal(.badRequest, "body.empty") }
        do { return try content.decode(T.self) } catch let error as DecodingError {
            if headers.contentType == .json, let body = body.data {
                if String(validating: body.readableBytesView, as: UTF8.self) == nil {
                    throw LocalizedRefusal(.badRequest, "body.not_utf8")
                }
                let first = body.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
                if let first, first != UInt8(ascii: "{") { throw LocalizedRefusal(.badRequest, "body.not_object") }
            }
            throw LocalizedRefusal(.badRequest, DecodingErrorMessage.message(error, input: "phrase.body"))
        } catch let error where !(error is any AbortError) {
            // A decoder's own errors (a multipart body that does not parse) are bad input too, not a 500.
            throw LocalizedRefusal(.badRequest, "body.unreadable", ["detail_en": "\(error)", "detail_zh": ""])
        }
    }

    /// Decodes the query string as `T`, answering a malformed one with a 400 that names the parameter.
    /// - Throws: ``LocalizedRefusal`` 400 (`input.*`).
    func decodeQuery<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try query.decode(T.self) } catch let error as DecodingError {
            throw LocalizedRefusal(.badRequest, DecodingErrorMessage.message(error, input: "phrase.query"))
        }
    }
}

/// Plain messages for `DecodingError`: which field, and what was expected, without Swift type internals.
enum DecodingErrorMessage {
    /// `error` in English, as the API's reasons say it (e.g. `missing field 'note'`).
    static func describe(_ error: DecodingError) -> String {
        let text = message(error, input: "").text(.en)
        return text.hasPrefix(": ") ? String(text.dropFirst(2)) : text
    }

    /// `error` as a catalogue message (`input.*`) about `input`, the phrase naming what was read (`phrase.body`,
    /// `phrase.query`; empty for none). The decoder's own detail of a corrupted value is English only.
    static func message(_ error: DecodingError, input: String) -> Message {
        switch error {
        case .keyNotFound(let key, let context):
            Message("input.missing_field", ["phrase_input": input, "name": path(context.codingPath + [key])])
        case .typeMismatch(let type, let context):
            Message(
                "input.type",
                ["phrase_input": input, "name": path(context.codingPath), "phrase_expected": expected(type)])
        case .valueNotFound(let type, let context):
            Message(
                "input.null",
                ["phrase_input": input, "name": path(context.codingPath), "phrase_expected": expected(type)])
        case .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? Message("input.not_json", ["phrase_input": input])
                : Message(
                    "input.invalid_value",
                    [
                        "phrase_input": input, "name": path(context.codingPath),
                        "detail_en": context.debugDescription, "detail_zh": "",
                    ])
        @unknown default: Message("body.unreadable", ["detail_en": "\(error)", "detail_zh": ""])
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "phrase.bool"
        case is Int.Type: "phrase.int"
        case is Double.Type: "phrase.number"
        case is String.Type: "phrase.string"
        default: "phrase.documented"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

extension Optional where Wrapped == String {
    /// The text trimmed of surrounding white space, or nil when nothing is left (an empty form field, `"  "`).
    var nonBlank: String? {
        let trimmed = self?.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed?.isEmpty == false ? trimmed : nil
    }
}
