import Vapor

/// The source of "now" for the whole app, injectable so tests pin the time.
public struct AppClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system clock.
    public static let system = AppClock { Date() }

    /// A clock fixed at `date` (tests).
    public static func fixed(_ date: Date) -> AppClock { AppClock { date } }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    /// The app's clock; the system clock unless a test replaced it.
    public var clock: AppClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// Shorthand for `application.clock.now()`.
    var now: Date { application.clock.now() }
}
