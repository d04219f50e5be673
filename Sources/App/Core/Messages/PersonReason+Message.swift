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
/// worded; a record from before it (or a person's reason) shows its stored `reason` as it is.
enum TriageReasonText {
    /// The record's reason in `language`.
    static func display(_ record: HotlineTriageRecord, _ language: DisplayLanguage) -> String? {
        record.reasonMessage.map { $0.text(language) } ?? record.reason
    }
}
