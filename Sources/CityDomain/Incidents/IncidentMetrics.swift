import Foundation

/// The measured times of an incident (issue 15 §4), in seconds from its declaration.
///
/// - *first response*: the first task accepted by any unit;
/// - *all tasks accepted*: the last task's acceptance, once no task is open;
/// - *resolution*: the close, or nil while the incident is active.
///
/// Per unit the same three: its first acceptance, the acceptance of its last task once all are accepted, and the
/// sign-off of its last task once all are done.
public struct IncidentMetrics: Codable, Sendable, Equatable {
    public var firstResponseSeconds: Double?
    public var allAcceptedSeconds: Double?
    public var resolutionSeconds: Double?
    public var units: [UnitMetrics]

    /// One unit's times.
    public struct UnitMetrics: Codable, Sendable, Equatable {
        public var unitCode: String
        public var tasks: Int
        public var firstResponseSeconds: Double?
        public var allAcceptedSeconds: Double?
        public var allDoneSeconds: Double?
    }

    /// One task as the metrics need it.
    public struct Task: Sendable {
        public var unitCode: String
        public var acceptedAt: Date?
        public var doneAt: Date?

        public init(unitCode: String, acceptedAt: Date?, doneAt: Date?) {
            self.unitCode = unitCode
            self.acceptedAt = acceptedAt
            self.doneAt = doneAt
        }
    }

    /// Measures an incident declared at `declaredAt` (closed at `closedAt`, if it is) with `tasks`.
    public static func measure(declaredAt: Date, closedAt: Date?, tasks: [Task]) -> IncidentMetrics {
        func since(_ date: Date?) -> Double? { date.map { $0.timeIntervalSince(declaredAt) } }
        func allOrNil(_ dates: [Date?]) -> Date? {
            dates.isEmpty || dates.contains(nil) ? nil : dates.compactMap { $0 }.max()
        }
        let units = Dictionary(grouping: tasks, by: \.unitCode).sorted { $0.key < $1.key }.map { code, tasks in
            UnitMetrics(
                unitCode: code, tasks: tasks.count, firstResponseSeconds: since(tasks.compactMap(\.acceptedAt).min()),
                allAcceptedSeconds: since(allOrNil(tasks.map(\.acceptedAt))),
                allDoneSeconds: since(allOrNil(tasks.map(\.doneAt))))
        }
        return IncidentMetrics(
            firstResponseSeconds: since(tasks.compactMap(\.acceptedAt).min()),
            allAcceptedSeconds: since(allOrNil(tasks.map(\.acceptedAt))),
            resolutionSeconds: since(closedAt), units: units)
    }
}

/// The minute-by-minute replay of an incident's timeline.
public enum IncidentReplay {
    /// The minute (0-based, from the declaration) an event at `at` falls in; events before the declaration fall in
    /// minute 0.
    public static func minute(of at: Date, declaredAt: Date) -> Int {
        max(0, Int((at.timeIntervalSince(declaredAt) / 60).rounded(.down)))
    }

    /// The indices of `times` grouped per minute from `declaredAt`, every minute from 0 to the last present (empty
    /// minutes included, so a player can step through them).
    public static func buckets(_ times: [Date], declaredAt: Date) -> [[Int]] {
        guard !times.isEmpty else { return [] }
        let minutes = times.map { minute(of: $0, declaredAt: declaredAt) }
        var buckets = [[Int]](repeating: [], count: (minutes.max() ?? 0) + 1)
        for (index, minute) in minutes.enumerated() { buckets[minute].append(index) }
        return buckets
    }
}
