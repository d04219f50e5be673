extension CaseWorkflow {
    /// The step whose time limit runs while a case is in `state`, or nil when no step clock runs.
    ///
    /// - accepted → `.register` (the centre must decide to register it);
    /// - registered → `.dispatch`;
    /// - returned → `.dispatch`: after a return (退单) the work is the centre's again (改派, reassign), so its dispatch
    ///   limit runs, not the unit's handling limit;
    /// - dispatched, handling → `.handle`: once dispatched the unit's clock runs, whether or not it has started;
    /// - handled → `.verify`; verified → `.close`;
    /// - closed → nil (finished); suspended → nil (挂账: the clock is stopped; on resume the step of the restored
    ///   state runs again, with the suspended span removed from its count, DESIGN.md §4).
    public static func step(for state: CaseState) -> CaseStep? {
        switch state {
        case .accepted: return .register
        case .registered, .returned: return .dispatch
        case .dispatched, .handling: return .handle
        case .handled: return .verify
        case .verified: return .close
        case .closed, .suspended: return nil
        }
    }
}
