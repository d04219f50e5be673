/// What an operator (or the system) asks to do to a case: the action and the inputs some actions need.
public struct CaseRequest: Equatable, Sendable {
    /// The action.
    public var action: CaseAction
    /// The reason or account given; required by actions whose ``CaseAction/requiresNote`` is true.
    public var note: String?
    /// Target unit for `dispatch` and `reassign`.
    public var unitCode: String?
    /// Working days asked for by `requestExtension` or granted by `approveExtension` (1…``CaseRules/maxExtensionDays``).
    public var extensionDays: Int?
    /// Username of the grid worker `assign` sends out.
    public var assignee: String?
    /// What the citizen said when called back; required by `callback` and taken by no other action.
    public var callbackResult: CallbackResult?
    /// How many photos come with it (only actions whose ``CaseAction/takesPhotos`` is true take any).
    public var photoCount: Int

    /// A request for `action` with the given inputs.
    public init(
        _ action: CaseAction, note: String? = nil, unitCode: String? = nil, extensionDays: Int? = nil,
        assignee: String? = nil, callbackResult: CallbackResult? = nil, photoCount: Int = 0
    ) {
        self.action = action
        self.note = note
        self.unitCode = unitCode
        self.extensionDays = extensionDays
        self.assignee = assignee
        self.callbackResult = callbackResult
        self.photoCount = photoCount
    }
}
