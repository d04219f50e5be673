/// The notes CityNet itself writes on a case's events (``MessageNote``), worded when the timeline is shown.
extension MessageCatalogue {
    static let noteEntries: [String: (zh: String, en: String)] = [:]
}
