import Vapor

/// Runs ``EscalationSweep`` every `interval` seconds while the server runs (the embedded default). A deployment
/// with several nodes can leave it to one of them; the sweep is safe to run concurrently because every
/// escalation is guarded by the case's version.
final class EscalationLoop: LifecycleHandler, @unchecked Sendable {
    // @unchecked Sendable: `task` is only touched from the application's lifecycle callbacks, one at a time.
    let interval: TimeInterval
    private var task: Task<Void, Never>?

    init(interval: TimeInterval) { self.interval = interval }

    func didBootAsync(_ application: Application) async throws {
        let interval = interval
        application.logger.notice("escalation sweep running", metadata: ["every_seconds": "\(interval)"])
        task = Task { [weak application] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard let application, !Task.isCancelled else { return }
                do {
                    _ = try await EscalationSweep.run(
                        reference: application.reference, on: application.db, gate: application.writeGate, now: application.clock.now(),
                        logger: application.logger)
                } catch {
                    application.logger.error("escalation sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value  // let a sweep in progress finish before the databases close
    }
}
