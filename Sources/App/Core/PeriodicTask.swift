import Vapor

/// Runs `pass` every `interval` seconds while the server runs: the first pass at boot (or one interval later when
/// `startsAtOnce` is false), each next one `interval` seconds after the previous ended. A pass runs only while this
/// node holds the loop's lease (``TaskLease``, asked before every pass under the loop's `name`): with several nodes
/// on one PostgreSQL, one of them runs each pass, and another takes over within one interval of the holder going.
/// A pass that throws is logged and the loop goes on. Shutdown cancels the loop and waits for a pass in progress,
/// so that none runs on closed databases.
final class PeriodicTask: LifecycleHandler, @unchecked Sendable {
    // @unchecked Sendable: `task` is only touched from the application's lifecycle callbacks, one at a time.
    /// Names the task in the logs.
    let name: String
    /// Seconds between the end of one pass and the start of the next.
    let interval: TimeInterval
    /// Whether the first pass runs at boot (else one `interval` later).
    let startsAtOnce: Bool
    /// One pass; `number` counts the passes this node has run, from 0 (passes skipped without the lease do not
    /// count, so a node that takes the lease over runs its first pass as pass 0).
    let pass: @Sendable (_ application: Application, _ number: Int) async throws -> Void
    private var task: Task<Void, Never>?

    init(
        name: String, interval: TimeInterval, startsAtOnce: Bool,
        pass: @escaping @Sendable (_ application: Application, _ number: Int) async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.startsAtOnce = startsAtOnce
        self.pass = pass
    }

    func didBootAsync(_ application: Application) async throws {
        let (name, interval, startsAtOnce, pass) = (name, interval, startsAtOnce, pass)
        application.logger.notice("\(name) running", metadata: ["every_seconds": "\(interval)"])
        task = Task { [weak application] in
            if !startsAtOnce { try? await Task.sleep(for: .seconds(interval)) }
            var number = 0
            while !Task.isCancelled {
                do {  // the application is held only while a pass runs, not while the loop sleeps
                    guard let application else { return }
                    if await application.taskLease.hold(name) {
                        do { try await pass(application, number) } catch {
                            application.logger.error("\(name) failed", metadata: ["error": "\(error)"])
                        }
                        number += 1
                    }
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
    }
}
