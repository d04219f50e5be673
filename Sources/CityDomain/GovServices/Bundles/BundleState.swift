/// A leg's state: waiting for the legs it depends on, or the state of its application.
public enum BundleLegState: Hashable, Sendable {
    case waiting
    case application(ApplicationState)

    /// Approved or later: the leg's result is issued, and the legs waiting for it may go.
    public var isSatisfied: Bool {
        if case .application(let state) = self { return [.approved, .resultIssued, .done].contains(state) }
        return false
    }

    /// Refused or returned for completion: the citizen must act on this leg.
    public var needsCitizen: Bool {
        self == .application(.refused) || self == .application(.returnedForCompletion)
    }
}

/// A bundle application's state, derived from its legs (never stored).
public enum BundleState: String, Codable, Sendable, CaseIterable {
    /// Legs are being handled or wait for others.
    case inProgress = "in_progress"
    /// At least one leg was refused or returned for completion: the citizen resubmits or completes that leg.
    case actionNeeded = "action_needed"
    /// Every leg is approved or later.
    case completed

    /// The state of a bundle whose legs are in `legs`: completed when all are satisfied, action needed when one
    /// needs the citizen, otherwise in progress. No legs is in progress.
    public static func derive(_ legs: [BundleLegState]) -> BundleState {
        if !legs.isEmpty && legs.allSatisfy(\.isSatisfied) { return .completed }
        if legs.contains(where: \.needsCitizen) { return .actionNeeded }
        return .inProgress
    }
}
