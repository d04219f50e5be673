/// Why `CaseRules` refused a request; nothing was changed. The app maps each to an HTTP status (400/403/409).
public enum CaseRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The action is not legal in the case's state (or with its flags).
    case illegal(CaseTransitionError)
    /// The actor's role may not perform the action (``CaseWorkflow/roles(allowedFor:)``).
    case roleNotAllowed(action: CaseAction, role: OperatorRole)
    /// The action needs a reason or an account (``CaseAction/requiresNote``).
    case noteRequired(CaseAction)
    /// Photos came with an action that takes none (``CaseAction/takesPhotos``).
    case photosNotTaken(CaseAction)
    /// `callback` without its result.
    case callbackResultRequired
    /// A callback result came with another action than `callback`.
    case callbackResultNotTaken(CaseAction)
    /// `dispatch` or `reassign` without a target unit.
    case unitRequired(CaseAction)
    /// The target unit does not exist.
    case unknownUnit(String)
    /// `reassign` to the unit that already holds the case.
    case sameUnit(String)
    /// The target unit serves neither the case's region, nor one above it, nor one inside it.
    case unitOutsideRegion(unit: String, region: String)
    /// Extension days missing (for an approval without a requested number) or outside 1…30.
    case invalidExtension(Int?)
    /// `assign` without a grid worker's username.
    case assigneeRequired
    /// `assign` to the grid worker already on the case.
    case alreadyAssigned(String)
    /// An approved extension would leave the case without a computable time limit (the calendar does not cover
    /// the dates it needs).
    case limitNotComputable(String)
    /// `dispatch_down` or `return_up` on a case not held by a street/town operations centre.
    case notHeldByStreetCentre(action: CaseAction, unit: String)
    /// `dispatch_down` or `return_up` by an operator of another centre than the street/town centre holding the case.
    case notTheHoldingCentre(action: CaseAction, holder: String)
    /// `dispatch_down` to a unit outside the street/town of the centre holding the case.
    case unitNotOfStreet(unit: String, street: String)
    /// `dispatch_down` without a unit or grid worker.
    case targetRequired
    /// `return_up` from a street/town with no district operations centre above it.
    case noCentreAbove(String)

    /// The message operators see.
    public var description: String {
        switch self {
        case .illegal(let error): error.description
        case .roleNotAllowed(let action, let role):
            "role '\(role.rawValue)' may not perform '\(action.rawValue)'"
        case .noteRequired(let action): "action '\(action.rawValue)' needs a note giving the reason"
        case .callbackResultRequired:
            "action 'callback' needs callback_result: "
                + CallbackResult.allCases.map(\.rawValue).joined(separator: ", ")
        case .callbackResultNotTaken(let action):
            "callback_result goes with action 'callback' only, not with '\(action.rawValue)'"
        case .photosNotTaken(let action):
            "action '\(action.rawValue)' takes no photos; photos go with "
                + CaseAction.allCases.filter(\.takesPhotos).map(\.rawValue).joined(separator: ", ")
        case .unitRequired(let action): "action '\(action.rawValue)' needs unit_code: the unit to send the case to"
        case .unknownUnit(let code): "unknown unit_code '\(code)'"
        case .sameUnit(let unit): "the case is already with '\(unit)'; reassign it to another unit"
        case .unitOutsideRegion(let unit, let region):
            "unit '\(unit)' does not serve region '\(region)': choose a unit of that region, one above it or one inside it"
        case .invalidExtension(let days):
            "extension_days must be a whole number of working days between 1 and 30, got \(days.map(String.init) ?? "none") (approve_extension needs it unless the request named it)"
        case .assigneeRequired: "action 'assign' needs assignee: the username of the grid worker to send"
        case .alreadyAssigned(let name): "the case is already assigned to '\(name)'"
        case .limitNotComputable(let problem):
            "the new time limit cannot be computed, so nothing was changed: \(problem)"
        case .notHeldByStreetCentre(let action, let unit):
            "action '\(action.rawValue)' is for the street/town centre holding a case; this case is with '\(unit)'"
        case .notTheHoldingCentre(let action, let holder):
            "only operators of '\(holder)', the street/town centre holding the case, may perform '\(action.rawValue)'"
        case .unitNotOfStreet(let unit, let street):
            "unit '\(unit)' is not a unit of street/town '\(street)': dispatch_down sends a case only to the street's own units or grid workers"
        case .targetRequired:
            "action 'dispatch_down' needs unit_code (a unit of the street/town) or assignee (one of its grid workers)"
        case .noCentreAbove(let street):
            "street/town '\(street)' has no district operations centre above it to return the case to"
        }
    }
}
