import CityDomain
import Testing

@testable import App

/// Every step of the audit trail has one name per language, from the one catalogue the console, the live feed and
/// Open311 updates read (`ConsoleText.actionName`).
@Suite struct ActionNamesTests {
    static let events: [CaseEventAction] =
        CaseAction.allCases.map(CaseEventAction.workflow) + [
            .accept, .forward, .mergeReport, .splitReport, .timeLimit, .alarmCleared,
        ]

    @Test(arguments: [ConsoleText.Language.zh, .en])
    func everyEventActionHasItsOwnName(_ language: ConsoleText.Language) {
        let names = Self.events.map { ConsoleText.actionName($0.rawValue, language) }
        for (event, name) in zip(Self.events, names) {
            #expect(name != event.rawValue, "\(event.rawValue) has no name")
        }
        #expect(Set(names).count == Self.events.count)
    }
}
