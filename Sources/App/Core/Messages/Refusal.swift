import CityDomain
import Vapor

/// The catalogue's message for a refusal (a 4xx error), so the console words it in the page's language while the
/// API keeps each error's own English `reason`.
enum Refusal {
    /// The message of `error`, or nil for an error the catalogue does not word (the console then shows its status's
    /// general sentence, ``MessageCatalogue`` `status.<code>`, or on an English page the error's own reason).
    static func message(for error: any Error) -> Message? {
        switch error {
        case let error as LocalizedRefusal: error.message
        case let error as CaseActionError: error.message
        case let error as CaseRuleError: error.message
        case let error as TextRuleError: error.message
        case let error as PhotoError: error.message
        case let error as IntakeError: error.message
        case let error as GovApplicationError: error.message
        case let error as TriageProblem: error.message
        case let error as SearchProblem: error.message
        case .notInCase(let report, let caseID) as CaseSplitError:
            Message("split.not_in_case", ["report": "\(report)", "case": "\(caseID)"])
        case .onlyReport(let caseID) as CaseSplitError: Message("split.only_report", ["case": "\(caseID)"])
        case .firstReport(let report, let caseID) as CaseSplitError:
            Message("split.first_report", ["report": "\(report)", "case": "\(caseID)"])
        case let error as InputText.Refused:
            Message(
                error.codePoint < 0x20 ? "text.control" : "text.noncharacter",
                [
                    "field": error.name.isEmpty ? error.place : InputText.Refused.printable(error.name),
                    "char": "U+" + String(format: "%04X", error.codePoint),
                ])
        default: nil
        }
    }
}

extension Request {
    /// `error` as the console shows it, in the page's language: the catalogue's message with codes named
    /// (``Refusal/message(for:)``), an English page's other reasons as they are, and otherwise the status's general
    /// sentence (a server fault never shows its detail).
    func refusalText(_ error: any Error) -> String {
        Refusal.text(error, ConsoleText.language(self), reference: reference)
    }
}

extension Refusal {
    /// `error` as a page in `language` shows it (``Request/refusalText(_:)``); `reference` names codes (nil: codes
    /// as given).
    static func text(_ error: any Error, _ language: DisplayLanguage, reference: CityReference?) -> String {
        if let message = message(for: error) { return message.text(language, reference: reference) }
        let status = (error as? any AbortError)?.status ?? .internalServerError
        if language == .en, status != .internalServerError, let reason = (error as? any AbortError)?.reason {
            return reason
        }
        let code = "status.\(status.code)"
        let known = MessageCatalogue.entries[code] != nil ? code : (status.code >= 500 ? "status.500" : "status.400")
        return Message(known).text(language)
    }
}

extension CaseActionError {
    var message: Message {
        switch self {
        case .notFound(let id): Message("case.not_found", ["id": "\(id)"])
        case .rule(let error): error.message
        case .concurrentChange(let id): Message("case.concurrent", ["id": "\(id)"])
        case .selfVerification(let name): Message("case.self_verification", ["name": name])
        case .unknownAssignee(let name, let unit): Message("case.unknown_assignee", ["name": name, "unit": unit])
        case .unknownGridWorker(let name, _): Message("case.unknown_grid_worker", ["name": name])
        }
    }
}

extension CaseRuleError {
    var message: Message {
        switch self {
        case .illegal(let error): error.message
        case .roleNotAllowed(let action, let role):
            Message("case.role_not_allowed", ["action": action.rawValue, "role": role.rawValue])
        case .noteRequired(let action): Message("case.note_required", ["action": action.rawValue])
        case .photosNotTaken(let action): Message("case.photos_not_taken", ["action": action.rawValue])
        case .callbackResultRequired: Message("case.callback_result_required")
        case .callbackResultNotTaken(let action): Message("case.callback_result_not_taken", ["action": action.rawValue])
        case .unitRequired(let action): Message("case.unit_required", ["action": action.rawValue])
        case .unknownUnit(let code): Message("case.unknown_unit", ["code": code])
        case .sameUnit(let unit): Message("case.same_unit", ["unit": unit])
        case .unitOutsideRegion(let unit, let region):
            Message("case.unit_outside_region", ["unit": unit, "region": region])
        case .invalidExtension(let days): Message("case.invalid_extension", ["days": days.map(String.init) ?? "—"])
        case .assigneeRequired: Message("case.assignee_required")
        case .alreadyAssigned(let name): Message("case.already_assigned", ["name": name])
        case .limitNotComputable: Message("case.limit_not_computable")
        case .notHeldByStreetCentre(let action, let unit):
            Message("case.not_street_held", ["action": action.rawValue, "unit": unit])
        case .notTheHoldingCentre(let action, let holder):
            Message("case.not_holding_centre", ["action": action.rawValue, "unit": holder])
        case .unitNotOfStreet(let unit, let street):
            Message("case.unit_not_of_street", ["unit": unit, "region": street])
        case .targetRequired: Message("case.target_required")
        case .noCentreAbove(let street): Message("case.no_centre_above", ["region": street])
        }
    }
}

extension CaseTransitionError {
    /// Which condition refused the action: the state (``CaseWorkflow/sources(of:)``), or the one further condition
    /// each action has in ``CaseWorkflow/apply(_:to:maxEscalationLevel:)``.
    var message: Message {
        let params = [
            "state": state.rawValue, "action": action.rawValue,
            "states": CaseWorkflow.sources(of: action).map(\.rawValue).joined(separator: ","),
        ]
        guard CaseWorkflow.sources(of: action).contains(state) else { return Message("case.only_in", params) }
        switch action {
        case .callback: return Message("case.callback_recorded", params)
        case .resume: return Message("case.no_prior_state", params)
        case .escalate: return Message("case.top_level", params)
        case .requestExtension: return Message("case.extension_pending", params)
        case .approveExtension: return Message("case.no_extension_pending", params)
        default: return Message("case.only_in", params)
        }
    }
}

extension TextRuleError {
    var message: Message {
        func point(_ value: UInt32) -> String { "U+" + String(format: "%04X", value) }
        return switch self {
        case .empty(let field): Message("text.empty", ["field": field])
        case .tooLong(let field, let length, let maximum):
            Message("text.too_long", ["field": field, "length": "\(length)", "maximum": "\(maximum)"])
        case .markup(let field, let fragment): Message("text.markup", ["field": field, "fragment": fragment])
        case .controlCharacter(let field, let code): Message("text.control", ["field": field, "char": point(code)])
        case .noncharacter(let field, let code): Message("text.noncharacter", ["field": field, "char": point(code)])
        case .malformedEncoding(let field): Message("text.encoding", ["field": field])
        }
    }
}

extension PhotoError {
    var message: Message {
        switch self {
        case .empty(let name): Message("photo.empty", ["name": name])
        case .tooLarge(let name, let bytes): Message("photo.too_large", ["name": name, "bytes": "\(bytes)"])
        case .notAnImage(let name): Message("photo.not_image", ["name": name])
        case .tooMany(let count):
            Message("photo.too_many", ["count": "\(count)", "maximum": "\(PhotoUpload.maxCount)"])
        }
    }
}

extension IntakeError {
    var message: Message {
        switch self {
        case .unknownCategory(let code, _): Message("intake.unknown_category", ["code": code])
        case .notDispatchable(let code, _): Message("intake.group_category", ["category": code])
        case .location: Message("intake.location")
        }
    }
}
