import Foundation

/// The sweeps that every node schedules every `escalationInterval` seconds (``AppConfig/escalationInterval``; 0
/// turns them off). Each is a ``PeriodicTask`` under its own lease name, so with several nodes one runs each pass.
enum ServiceLoops {
    /// - Returns: the escalation sweep (issue 3), the government-services loop (issue 13), the stale-feed sweep
    ///   (issue 11 §3), the reading retention pass (issue 11 §1), the incident join, and the time-limit recheck
    ///   (at start, then every ``TimeLimitRecheck/interval``), in that order.
    static func sweeps(interval: TimeInterval) -> [PeriodicTask] {
        [
            EscalationSweep.periodicTask(interval: interval),
            GovServicesLoop.periodicTask(interval: interval),
            StaleFeedSweep.periodicTask(interval: interval),
            ReadingRetention.periodicTask(interval: interval),
            IncidentJoin.periodicTask(interval: interval),
            TimeLimitRecheck.periodicTask(interval: TimeLimitRecheck.interval),
        ]
    }
}
