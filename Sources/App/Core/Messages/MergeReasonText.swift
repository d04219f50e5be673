import Foundation

/// Why a report was merged into an open case, as note parts: the duplicate detector's English lines
/// (`Hotline.DuplicateDetector`: category, place, time, text similarity) read into catalogue messages when the merge
/// is recorded, so the case page words them in the reader's language; a line it does not know stays as written.
enum MergeReasonText {
    /// The message of one of the detector's reason lines.
    static func message(_ reason: String) -> Message {
        if let m = reason.wholeMatch(of: /same category (.+)/) {
            return Message("merge.category", ["category": String(m.1)])
        }
        if let m = reason.wholeMatch(of: /same region (.+)/) { return Message("merge.region", ["region": String(m.1)]) }
        if let m = reason.wholeMatch(of: /([0-9]+) m apart \(≤ ([0-9]+) m\)/) {
            return Message("merge.distance", ["metres": String(m.1), "limit": String(m.2)])
        }
        if let m = reason.wholeMatch(of: /([0-9.]+) h from the case opening \(≤ ([0-9.]+) h\)/) {
            return Message("merge.hours", ["hours": String(m.1), "limit": String(m.2)])
        }
        if let m = reason.wholeMatch(of: /text similarity ([0-9.]+) \(≥ ([0-9.]+)\)/) {
            return Message("merge.similarity", ["score": String(m.1), "limit": String(m.2)])
        }
        return Message(MessageNote.words, ["text": reason])
    }
}
