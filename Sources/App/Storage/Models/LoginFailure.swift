import Fluent
import Foundation

/// One failed sign-in (wrong password, unknown username or disabled account), kept for ``Access/failureWindow``
/// to throttle password guessing per username and client address (``Access/throttle(username:address:excluding:on:now:)``).
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"
    @ID(key: .id) var id: UUID?
    /// The username as typed (also for names that do not exist, so that throttling does not tell which do).
    @Field(key: "username") var username: String
    /// The client's ``IPAddress/throttleKey`` (``ClientAddress/unknown`` without one); nil on rows written before
    /// addresses were kept (``UpdateLoginFailuresAddClientAddress``).
    @OptionalField(key: "client_address") var clientAddress: String?
    @Field(key: "at") var at: Date
    init() {}

    init(username: String, clientAddress: String?, at: Date) {
        self.id = UUID()
        self.username = username
        self.clientAddress = clientAddress
        self.at = at
    }
}
