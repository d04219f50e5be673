import Foundation
import Hotline

/// Why a report waits in the triage queue, in the page's language. The triage record keeps the Hotline module's
/// English sentence (``Hotline/HotlineTriageResult/PersonReason/description``, also what the API returns); the desk
/// recognises it and words it from the catalogue, as ``GovSystemNote`` does for applications' notes.
enum TriageReasonText {
    /// `stored` as a catalogue message, or nil for a sentence it does not recognise (shown as stored).
    static func message(_ stored: String) -> Message? {
        typealias Reason = HotlineTriageResult.PersonReason
        if stored == Reason.noCategory.description { return Message("triage_reason.no_category") }
        if stored == Reason.noPlace.description { return Message("triage_reason.no_place") }
        let pattern = /category confidence ([0-9.]+) is below the threshold ([0-9.]+)/
        if let match = stored.wholeMatch(of: pattern) {
            return Message(
                "triage_reason.low_confidence", ["confidence": String(match.1), "threshold": String(match.2)])
        }
        return nil
    }

    /// `stored` in `language` (as stored when not recognised).
    static func display(_ stored: String?, _ language: DisplayLanguage) -> String? {
        stored.map { message($0)?.text(language) ?? $0 }
    }
}
