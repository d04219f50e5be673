extension CaseWorkflow {
    /// The roles that may perform `action` (whether it is legal in the case's state is `apply`'s business).
    ///
    /// Operations-centre operators (city, district, street) run the case: register, dispatch, reassign, verify or
    /// fail verification, close, call the citizen back, reopen, suspend, resume, escalate, approve extensions. Caseworkers of the
    /// responsible unit start, return, resolve, request extensions and assign a grid worker (as centres do). Grid
    /// workers start and resolve small cases and verify on site. Street/town operators re-dispatch a case their centre
    /// holds to its own units or grid workers (下派) or return it up to the district (上退). Administrators may do everything. That the verifier is not the person who resolved the
    /// case (核查 by someone else, DESIGN.md §1) is a check on people, left to the app layer.
    public static func roles(allowedFor action: CaseAction) -> Set<OperatorRole> {
        let centre: Set<OperatorRole> = [.cityOperator, .districtOperator, .streetOperator, .administrator]
        switch action {
        case .register, .dispatch, .reassign, .close, .callback, .reopen, .suspend, .resume, .escalate,
            .approveExtension:
            return centre
        case .verify, .failVerification:
            return centre.union([.gridWorker])
        case .assign:
            // The unit holding the case sends one of its grid workers: a street centre's operator or a department's
            // caseworker.
            return centre.union([.caseworker])
        case .start, .resolve:
            return [.caseworker, .gridWorker, .administrator]
        case .return, .requestExtension:
            return [.caseworker, .administrator]
        case .dispatchDown, .returnUp:
            // Only the street/town centre holding the case (CaseRules checks the actor's unit is that centre).
            return [.streetOperator, .administrator]
        }
    }
}
