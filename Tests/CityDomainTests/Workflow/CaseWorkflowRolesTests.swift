import Testing

@testable import CityDomain

@Suite("Case workflow: roles, steps, names")
struct CaseWorkflowRolesTests {
    let centre: Set<OperatorRole> = [.cityOperator, .districtOperator, .streetOperator]

    @Test func rolesPerAction() {
        for action: CaseAction in [
            .register, .dispatch, .reassign, .close, .reopen, .suspend, .resume, .escalate,
            .approveExtension,
        ] {
            #expect(CaseWorkflow.roles(allowedFor: action) == centre.union([.administrator]), "\(action)")
        }
        #expect(CaseWorkflow.roles(allowedFor: .verify) == centre.union([.gridWorker, .administrator]))
        #expect(CaseWorkflow.roles(allowedFor: .failVerification) == centre.union([.gridWorker, .administrator]))
        #expect(CaseWorkflow.roles(allowedFor: .start) == [.caseworker, .gridWorker, .administrator])
        #expect(CaseWorkflow.roles(allowedFor: .resolve) == [.caseworker, .gridWorker, .administrator])
        #expect(CaseWorkflow.roles(allowedFor: .return) == [.caseworker, .administrator])
        #expect(CaseWorkflow.roles(allowedFor: .requestExtension) == [.caseworker, .administrator])
        #expect(CaseWorkflow.roles(allowedFor: .dispatchDown) == [.streetOperator, .administrator])
        #expect(CaseWorkflow.roles(allowedFor: .returnUp) == [.streetOperator, .administrator])
    }

    @Test func administratorMayDoEverything() {
        for action in CaseAction.allCases { #expect(CaseWorkflow.roles(allowedFor: action).contains(.administrator)) }
    }

    @Test func buttonsPerRole() {
        let handling = CaseSnapshot(state: .handling)
        #expect(
            CaseWorkflow.allowedActions(in: handling, role: .caseworker, maxEscalationLevel: 2)
                == [.assign, .return, .resolve, .requestExtension])
        #expect(
            CaseWorkflow.allowedActions(in: handling, role: .streetOperator, maxEscalationLevel: 2)
                == [.assign, .reassign, .suspend, .escalate, .dispatchDown, .returnUp])
        // Assigning a grid worker is for whoever holds the case, never for the grid worker, and only while it is out.
        #expect(
            CaseWorkflow.allowedActions(in: CaseSnapshot(state: .dispatched), role: .gridWorker, maxEscalationLevel: 2)
                == [.start])
        #expect(
            !CaseWorkflow.allowedActions(in: CaseSnapshot(state: .handled), maxEscalationLevel: 2).contains(.assign))
        let assigned = try? CaseWorkflow.apply(.assign, to: handling, maxEscalationLevel: 2)
        #expect(assigned == handling)
        #expect(CaseWorkflow.allowedActions(in: handling, role: .gridWorker, maxEscalationLevel: 2) == [.resolve])
        #expect(
            CaseWorkflow.allowedActions(in: CaseSnapshot(state: .handled), role: .gridWorker, maxEscalationLevel: 2)
                == [.verify, .failVerification])
        #expect(
            CaseWorkflow.allowedActions(in: CaseSnapshot(state: .verified), role: .caseworker, maxEscalationLevel: 2)
                .isEmpty)
        #expect(
            CaseWorkflow.allowedActions(in: handling, role: .administrator, maxEscalationLevel: 2)
                == CaseWorkflow.allowedActions(in: handling, maxEscalationLevel: 2))
    }

    @Test func stepPerState() {
        let steps = Dictionary(uniqueKeysWithValues: CaseState.allCases.map { ($0, CaseWorkflow.step(for: $0)) })
        #expect(
            steps == [
                .accepted: .register, .registered: .dispatch, .returned: .dispatch, .dispatched: .handle,
                .handling: .handle, .handled: .verify, .verified: .close, .closed: nil, .suspended: nil,
            ])
    }

    @Test func notesRequired() {
        #expect(
            Set(CaseAction.allCases.filter(\.requiresNote))
                == [.return, .returnUp, .resolve, .failVerification, .reopen, .suspend, .requestExtension])
    }

    @Test func wireNamesAndLabels() {
        #expect(CaseAction.failVerification.rawValue == "fail_verification")
        #expect(CaseAction.requestExtension.rawValue == "request_extension")
        #expect(CaseAction.approveExtension.rawValue == "approve_extension")
        #expect(CaseAction(rawValue: "return") == .return)
        #expect(OperatorRole.gridWorker.rawValue == "grid_worker")
        #expect(OperatorRole.cityOperator.rawValue == "city_operator")
        #expect(CaseState.suspended.nameZh == "挂账（暂停计时）")
        #expect(CaseState.handled.nameZh == "待核查")
        #expect(CaseState.allCases.filter { !$0.isOpen } == [.closed])
        #expect(Set(CaseState.allCases.map(\.nameZh)).count == CaseState.allCases.count)
        #expect(Set(OperatorRole.allCases.map(\.nameZh)).count == OperatorRole.allCases.count)
        #expect(Set(CaseStep.allCases.map(\.nameZh)).count == CaseStep.allCases.count)
    }
}
