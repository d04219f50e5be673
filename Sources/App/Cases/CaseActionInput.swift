import CityDomain
import Vapor

/// The body of `POST /api/v1/cases/:id/actions` and of the console's action forms, read into a ``CaseCommand``:
/// JSON (``ActionBody``), or a form (``ActionForm``: URL-encoded, or multipart with photos).
enum CaseActionInput {
    /// Largest action body: four 5 MiB photos and the form fields.
    static let bodyLimit = ByteCount(value: PhotoUpload.maxBodyBytes)

    /// JSON body: `{"action", "note"?, "unit_code"?, "extension_days"?, "assignee"?, "callback_result"?}`.
    struct ActionBody: Content {
        var action: String
        var note: String?
        var unitCode: String?
        var extensionDays: Int?
        var assignee: String?
        var callbackResult: String?

        enum CodingKeys: String, CodingKey {
            case action, note, assignee
            case unitCode = "unit_code", extensionDays = "extension_days", callbackResult = "callback_result"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            action = try container.decode(String.self, forKey: .action)
            note = try container.decodeIfPresent(String.self, forKey: .note)
            unitCode = try container.decodeIfPresent(String.self, forKey: .unitCode)
            assignee = try container.decodeIfPresent(String.self, forKey: .assignee)
            callbackResult = try container.decodeIfPresent(String.self, forKey: .callbackResult)
            // Read as a number first so that 1.5 is "not a whole number", not Foundation's "not valid JSON".
            if let days = try container.decodeIfPresent(Double.self, forKey: .extensionDays) {
                guard days == days.rounded(), abs(days) < 1_000_000 else {
                    throw DecodingError.typeMismatch(
                        Int.self, .init(codingPath: [CodingKeys.extensionDays], debugDescription: "not a whole number"))
                }
                extensionDays = Int(days)
            } else {
                extensionDays = nil
            }
        }

        init(
            action: String, note: String? = nil, unitCode: String? = nil, extensionDays: Int? = nil,
            assignee: String? = nil, callbackResult: String? = nil
        ) {
            self.action = action
            self.callbackResult = callbackResult
            self.note = note
            self.unitCode = unitCode
            self.extensionDays = extensionDays
            self.assignee = assignee
        }
    }

    /// Form body: the same fields as text (an empty field counts as absent, as browsers send every input), plus
    /// `photos[]` files in a multipart form. A file input left empty arrives as a nameless empty part and is ignored.
    struct ActionForm: Content {
        var action: String
        var note: String?
        var unitCode: String?
        var extensionDays: String?
        var assignee: String?
        var callbackResult: String?
        var photos: [File]?

        enum CodingKeys: String, CodingKey {
            case action, note, assignee, photos
            case unitCode = "unit_code", extensionDays = "extension_days", callbackResult = "callback_result"
        }
    }

    /// Reads and checks the request's action.
    /// - Returns: the command, with its photos checked (type by signature, size, count).
    /// - Throws: 400 (`Abort`, ``PhotoError``, `TextRuleError`) naming the field: unknown action, malformed body,
    ///   note over 2,000 characters or with control characters, extension days not a whole number, a bad photo.
    static func command(from req: Request) throws -> CaseCommand {
        let isForm = req.headers.contentType.map { $0 == .formData || $0 == .urlEncodedForm } ?? false
        let command: CaseCommand
        if isForm {
            if req.headers.contentType == .formData { try checkMultipart(req) }
            let form = try req.decodeBody(ActionForm.self)
            var days: Int?
            if let text = form.extensionDays.nonBlank {
                guard let value = Int(text) else {
                    throw LocalizedRefusal(.badRequest, "case.extension_days_text", ["text": text])
                }
                days = value
            }
            let files = (form.photos ?? []).filter { !($0.filename.isEmpty && $0.data.readableBytes == 0) }
            let photos = try PhotoUpload.check(files.map { (name: $0.filename, data: Data(buffer: $0.data)) })
            command = CaseCommand(
                action: try action(form.action), note: form.note.nonBlank, unitCode: form.unitCode.nonBlank,
                extensionDays: days, assignee: form.assignee.nonBlank,
                callbackResult: try callbackResult(form.callbackResult.nonBlank), photos: photos)
        } else {
            let body = try req.decodeBody(ActionBody.self)
            command = CaseCommand(
                action: try action(body.action), note: body.note, unitCode: body.unitCode,
                extensionDays: body.extensionDays, assignee: body.assignee,
                callbackResult: try callbackResult(body.callbackResult))
        }
        if let note = command.note { try TextRules.validate(note, field: "note", maxLength: 2000) }
        // Out of range is bad input whatever the action (not only where the days are used), as /openapi.json says.
        if let days = command.extensionDays, !(1...CaseRules.maxExtensionDays).contains(days) {
            throw CaseActionError.rule(.invalidExtension(days))
        }
        return command
    }

    /// Bytes allowed after a multipart body's close delimiter (browsers and curl send a CRLF, if anything).
    static let epilogueAllowance = 1024

    /// Fields that may carry files: `photos[]` (or `photos[N]`).
    static func isPhotoField(_ name: String) -> Bool {
        name == "photos[]"
            || (name.hasPrefix("photos[") && name.hasSuffix("]") && Int(name.dropFirst(7).dropLast()) != nil)
    }

    /// A multipart body must end with its close delimiter (RFC 2046 §5.1.1), followed by at most
    /// ``epilogueAllowance`` bytes: a cut-off upload would otherwise decode as a shorter form and its photos be lost
    /// without a word. Files may come only in `photos[]`, for the same reason.
    /// - Throws: 400 naming what is wrong.
    static func checkMultipart(_ req: Request) throws {
        guard let boundary = req.headers.contentType?.parameters["boundary"], !boundary.isEmpty,
            let body = req.body.data
        else { throw LocalizedRefusal(.badRequest, "body.no_boundary") }
        // Only the end of the body is searched (not a copy of up to 20 MiB): clients send the delimiter last.
        let close = Array("--\(boundary)--".utf8)
        let tail = body.readableBytesView.suffix(close.count + epilogueAllowance)
        guard tail.firstRange(of: close) != nil else {
            throw LocalizedRefusal(.badRequest, "body.cut_off")
        }
        try MultipartGuard.check(body, boundary: boundary)
        var disposition: String?
        var strayFields: [String] = []
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in if name.lowercased() == "content-disposition" { disposition = value } }
        parser.onBody = { _ in }
        parser.onPartComplete = {
            defer { disposition = nil }
            guard let value = disposition else { return }
            let part = FormPart(disposition: value)
            if part.isFile, !isPhotoField(part.name) { strayFields.append(part.name) }
        }
        do { try parser.execute(body) } catch {
            // MultipartKit's parser errors are not Abort errors: without this they answer 500.
            throw LocalizedRefusal(.badRequest, "body.malformed", ["detail_en": "\(error)", "detail_zh": ""])
        }
        if let field = strayFields.first {
            throw LocalizedRefusal(.badRequest, "body.stray_file", ["name": field])
        }
    }

    /// - Throws: 400 naming the known results when `text` is not one.
    private static func callbackResult(_ text: String?) throws -> CallbackResult? {
        guard let text else { return nil }
        guard let result = CallbackResult(rawValue: text) else {
            let known = CallbackResult.allCases.map(\.rawValue).joined(separator: ", ")
            throw LocalizedRefusal(.badRequest, "case.unknown_callback_result", ["text": text, "known": known])
        }
        return result
    }

    private static func action(_ text: String) throws -> CaseAction {
        guard let action = CaseAction(rawValue: text) else {
            let known = CaseAction.allCases.map(\.rawValue).joined(separator: ", ")
            throw LocalizedRefusal(.badRequest, "case.unknown_action", ["text": text, "known": known])
        }
        return action
    }
}
