import Vapor

/// A refusal worded by the message catalogue: the API answers its status with the English sentence as `reason`
/// (codes as given), or with `apiReason` when the API's sentence is not the console's (it names request fields);
/// the console shows ``message`` in the page's language with names for codes (``Request/refusalText(_:)``).
struct LocalizedRefusal: AbortError, Equatable {
    var status: HTTPResponseStatus
    var message: Message
    /// The API's `reason` when it differs from the catalogue's English (nil: that English).
    var apiReason: String?

    init(_ status: HTTPResponseStatus, _ code: String, _ params: [String: String] = [:], apiReason: String? = nil) {
        self.status = status
        self.message = Message(code, params)
        self.apiReason = apiReason
    }

    init(_ status: HTTPResponseStatus, _ message: Message) {
        self.status = status
        self.message = message
    }

    var reason: String { apiReason ?? message.text(.en) }
}
