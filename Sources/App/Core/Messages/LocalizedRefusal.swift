import Vapor

/// A refusal worded by the message catalogue: the API answers its status with the English sentence as `reason`
/// (codes as given); the console shows ``message`` in the page's language with names for codes
/// (``Request/refusalText(_:)``).
struct LocalizedRefusal: AbortError, Equatable {
    var status: HTTPResponseStatus
    var message: Message

    init(_ status: HTTPResponseStatus, _ code: String, _ params: [String: String] = [:]) {
        self.status = status
        self.message = Message(code, params)
    }

    init(_ status: HTTPResponseStatus, _ message: Message) {
        self.status = status
        self.message = message
    }

    var reason: String { message.text(.en) }
}
