import Fluent
import Foundation

/// One failed sign-in (wrong password, unknown username or disabled account), kept for ``Access/failureWindow``
/// to throttle password guessing.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"
    @ID(key: .id) var id: UUID?
    /// The username as typed (also for names that do not exist, so that throttling does not tell which do).
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date
    init() {}

    init(username: String, at: Date) {
        self.id = UUID()
        self.username = username
        self.at = at
    }
}
