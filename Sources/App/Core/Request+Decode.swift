import Vapor

extension Request {
    /// Decodes the body as `T`, answering a malformed one with a 400 that names the field and what is wrong: a body
    /// that is not UTF-8 says so, and a JSON body that is not an object (an array, a number) is told it must be one.
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        if (body.data?.readableBytes ?? 0) == 0 {
            throw Abort(
                .badRequest, reason: "the request body is empty; send the fields as documented at /openapi.json")
        }
        do { return try content.decode(T.self) } catch let error as DecodingError {
            if headers.contentType == .json, let body = body.data {
                if String(validating: body.readableBytesView, as: UTF8.self) == nil {
                    throw Abort(.badRequest, reason: "invalid request body: not valid UTF-8 text")
                }
                let first = body.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
                if let first, first != UInt8(ascii: "{") {
                    throw Abort(.badRequest, reason: "invalid request body: must be a JSON object ({…})")
                }
            }
            throw Abort(.badRequest, reason: "invalid request body: \(DecodingErrorMessage.describe(error))")
        } catch let error where !(error is any AbortError) {
            // A decoder's own errors (a multipart body that does not parse) are bad input too, not a 500.
            throw Abort(.badRequest, reason: "invalid request body: \(error)")
        }
    }

    /// Decodes the query string as `T`, answering a malformed one with a 400 that names the parameter.
    func decodeQuery<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try query.decode(T.self) } catch let error as DecodingError {
            throw Abort(.badRequest, reason: "invalid query: \(DecodingErrorMessage.describe(error))")
        }
    }
}

/// Plain messages for `DecodingError`: which field, and what was expected, without Swift type internals.
enum DecodingErrorMessage {
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            "field '\(path(context.codingPath))' must be \(expected(type))"
        case .valueNotFound(let type, let context):
            "field '\(path(context.codingPath))' must be \(expected(type)), not null"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "not valid JSON (or not the expected shape)"
                : "field '\(path(context.codingPath))' has an invalid value: \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        default: "of the documented type"
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
