import CityDomain
import Foundation

/// An audit note as parts (``Message``s), stored in `case_events.note_parts` beside the note's text: the system's
/// sentences keep their codes and parameters and are worded in the reader's language when a page shows them; a
/// person's words are the part `note.words` (`{text}`), shown as typed.
enum MessageNote {
    /// The code of a person's own words.
    static let words = "note.words"

    /// `parts` as stored (a JSON array), or nil when they are only a person's words (then the note says it all).
    static func stored(_ parts: [Message]) -> String? {
        guard parts.contains(where: { $0.code != words }),
            let data = try? JSONEncoder.sortedKeys.encode(parts)
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The parts of a stored `note_parts`, or nil for none (or unreadable ones).
    static func parts(_ stored: String?) -> [Message]? {
        guard let stored else { return nil }
        return try? JSONDecoder().decode([Message].self, from: Data(stored.utf8))
    }

    /// An event's note for a page in `language`: the system's parts worded in it (`system`) and the person's own
    /// words as typed (`words`); an event without parts shows its note as it is stored, as a person's words.
    static func display(note: String?, parts stored: String?, _ language: DisplayLanguage, reference: CityReference)
        -> (system: String, words: String)
    {
        guard let parts = parts(stored) else { return ("", note ?? "") }
        let separator = language == .zh ? "；" : "; "
        let system = parts.filter { $0.code != words }.map { $0.text(language, reference: reference) }
        let own = parts.filter { $0.code == words }.compactMap { $0.params["text"] }
        return (system.joined(separator: separator), own.joined(separator: separator))
    }

    /// The case's dispatch reason in `language`: the intake's dispatch sentence in that language (the first
    /// `dispatch` event's parts), else `stored` (`cases.dispatch_reason`, Chinese) for a case from before the parts or
    /// whose dispatch event says another sentence.
    static func dispatchReason(
        stored: String, events: [CaseEvent], _ language: DisplayLanguage, reference: CityReference
    ) -> String {
        guard let event = events.first(where: { $0.action == .workflow(.dispatch) }),
            let hop = parts(event.noteParts)?.first(where: { $0.code == "note.dispatch_hop" }),
            hop.params["reason_zh"] == stored  // a chain ending at a centre says that hop's reason instead
        else { return stored }
        return hop.text(language, reference: reference)
    }

    /// The parts of a case action's note (``CityDomain/AuditNotePart``); `system` words the operator's part when the
    /// system itself acted (the escalation sweep's note).
    static func parts(_ note: [AuditNotePart], system: Message? = nil) -> [Message] {
        note.map { part in
            switch part {
            case .words(let text): system ?? Message(words, ["text": text])
            case .extensionTotal(let days): Message("note.extension_total", ["days": "\(days)"])
            case .extensionRequested(let days): Message("note.extension_requested", ["days": "\(days)"])
            case .supervisingUnit(let unit): Message("note.supervising_unit", ["unit": unit])
            case .gridWorker(let name, let previous):
                previous.map { Message("note.grid_worker_changed", ["name": name, "previous": $0]) }
                    ?? Message("note.grid_worker", ["name": name])
            case .photos(let count): Message("note.photos", ["count": "\(count)"])
            }
        }
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so equal values are stored as equal text.
    fileprivate static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
