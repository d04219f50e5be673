import CityDomain
import Vapor

// Domain and service errors carry their own messages; these conformances give each its HTTP status so every
// endpoint answers bad input with a precise 4xx instead of a 500.

extension TextRuleError: AbortError {
    public var status: HTTPResponseStatus { .badRequest }
    public var reason: String { description }
}

extension IntakeError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .unknownCategory: .badRequest
        case .notDispatchable: .badRequest
        case .location: .badRequest
        }
    }
    var reason: String { description }
}

extension CaseActionError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .rule(let error): error.status
        case .concurrentChange: .conflict
        case .selfVerification: .forbidden
        case .unknownAssignee, .unknownGridWorker: .badRequest
        }
    }
    var reason: String { description }
}

extension CaseRuleError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .illegal, .sameUnit, .limitNotComputable, .alreadyAssigned, .notHeldByStreetCentre, .noCentreAbove:
            .conflict
        case .roleNotAllowed, .notTheHoldingCentre: .forbidden
        case .noteRequired, .unitRequired, .unknownUnit, .invalidExtension, .unitOutsideRegion, .assigneeRequired,
            .photosNotTaken, .unitNotOfStreet, .targetRequired, .callbackResultRequired, .callbackResultNotTaken:
            .badRequest
        }
    }
    public var reason: String { description }
}

extension PhotoError: AbortError {
    var status: HTTPResponseStatus { .badRequest }
    var reason: String { description }
}

extension AccessError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .usernameTaken, .nameTaken: .conflict
        default: .badRequest
        }
    }
    var reason: String { description }
}

extension GeoError: AbortError {
    public var status: HTTPResponseStatus { .badRequest }
    public var reason: String { description }
}
