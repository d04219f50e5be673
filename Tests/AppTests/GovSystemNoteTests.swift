import Testing

@testable import App

/// The notes CityNet writes into applications' events are read back from their stored text, and a person's note is
/// never taken for one.
@Suite struct GovSystemNoteTests {
    @Test func storedNotesAreReadBackAndOthersAreLeftAlone() {
        for note in [GovSystemNote.promisedDatePassed, .bundleReleased(bundle: "newborn", after: "SH-WJW-0001")] {
            #expect(GovSystemNote(stored: note.stored) == note)
        }
        #expect(
            GovSystemNote(stored: "bundle newborn: released by the approval of SH-WJW-0001")
                == .bundleReleased(bundle: "newborn", after: "SH-WJW-0001"))
        for words in ["材料不全，请补正", "bundle of papers attached", "promised date passed soon", ""] {
            #expect(GovSystemNote(stored: words) == nil, "\(words)")
        }
    }
}
