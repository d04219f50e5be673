import Hotline

extension MergeReason {
    /// The reason as a catalogue message (`merge.*`, parameters as the English line writes its figures), recorded in
    /// the merge event's note parts so the case page words it in the reader's language.
    var message: Message {
        let code =
            switch self {
            case .sameCategory: "merge.category"
            case .distance: "merge.distance"
            case .sameRegion: "merge.region"
            case .hours: "merge.hours"
            case .similarity: "merge.similarity"
            }
        return Message(code, figures)
    }
}
