import Foundation
import Hotline

extension HotlineTriageResult.PersonReason {
    /// Why triage queued a report, as a catalogue message (`triage_reason.*`, figures to 0.01 as the English line
    /// writes them), kept in the triage record (`reason_message`) so the desk words it in the reader's language.
    var message: Message {
        switch self {
        case .noCategory: Message("triage_reason.no_category")
        case .noPlace: Message("triage_reason.no_place")
        case .lowConfidence(let confidence, let threshold):
            Message(
                "triage_reason.low_confidence",
                ["confidence": String(format: "%.2f", confidence), "threshold": String(format: "%.2f", threshold)])
        }
    }
}

/// Why a report waits in the triage queue, in the page's language: the record's ``HotlineTriageRecord/reasonMessage``
/// worded. A record written before `reason_message` existed (reports still queued from then) has only the Hotline
/// module's English sentence: one of the three ``HotlineTriageResult/PersonReason`` sentences is recognised and
/// worded the same way; anything else (a person's reason) shows as stored.
enum TriageReasonText {
    /// The record's reason in `language`.
    static func display(_ record: HotlineTriageRecord, _ language: DisplayLanguage) -> String? {
        (record.reasonMessage ?? record.reason.flatMap(storedMessage)).map { $0.text(language) } ?? record.reason
    }

    /// An older record's English sentence as its message, or nil when it is not one of the person reasons.
    static func storedMessage(_ stored: String) -> Message? {
        typealias Reason = HotlineTriageResult.PersonReason
        if stored == Reason.noCategory.description { return Reason.noCategory.message }
        if stored == Reason.noPlace.description { return Reason.noPlace.message }
        let pattern = /category confidence ([0-9.]+) is below the threshold ([0-9.]+)/
        guard let match = stored.wholeMatch(of: pattern), let confidence = Double(match.1),
            let threshold = Double(match.2)
        else { return nil }
        return Reason.lowConfidence(confidence: confidence, threshold: threshold).message
    }
}
