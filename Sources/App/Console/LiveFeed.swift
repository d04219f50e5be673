import CityDomain
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// One audit-trail step as the console's live feed shows it.
struct LiveEvent: Content, Sendable {
    var id: Int
    var caseID: Int
    var action: String
    /// The action's label in the viewer's language (an action that keeps the state, such as `assign`, says what
    /// happened).
    var actionName: String
    /// Whether the step left the state as it was (assign, escalate, a merged report…): the feed then names the
    /// action, since the state alone would not say what happened.
    var keepsState: Bool
    var toState: String
    var stateName: String
    var at: Date
    var actor: String
    var regionCode: String
    var regionName: String
    var districtCode: String?
    var categoryCode: String
    var categoryName: String
    var unitName: String
    var description: String
    /// The case's unit, for desks that only see their own unit's cases.
    var unitCode: String

    enum CodingKeys: String, CodingKey {
        case id, action, at, actor, description
        case caseID = "case_id", actionName = "action_name", keepsState = "keeps_state", toState = "to_state",
            stateName = "state_name", regionCode = "region_code"
        case regionName = "region_name", districtCode = "district_code", categoryName = "category_name"
        case categoryCode = "category_code"
        case unitName = "unit_name", unitCode = "unit_code"
    }
}

extension LiveEvent {
    /// This event with its state, region, category and unit names in `language`.
    func named(in language: DisplayLanguage, reference: CityReference) -> LiveEvent {
        var event = self
        event.actionName = ConsoleText.actionName(action, language)
        event.stateName = CaseState.name(of: toState, in: language)
        event.regionName = reference.regionName(regionCode, in: language)
        event.categoryName = reference.categoryName(categoryCode, in: language)
        event.unitName = reference.unitName(unitCode, in: language)
        return event
    }
}

/// One open event stream: its events, and whether its session has ended.
struct LiveSubscription: Sendable {
    /// How the feed learnt that the session ended.
    enum End: Sendable, Equatable {
        /// Signed out on this node (``LiveFeed/endStreams(ofSession:)``).
        case signedOut
        /// Found by the feed's session check with this number (``LiveFeed/checksStarted``).
        case check(Int)
    }

    let events: AsyncStream<LiveEvent>
    /// Timeline entries of joint incidents (`incident_events`, issue 15), unfiltered: the stream filters by scope.
    let incidents: AsyncStream<LiveIncidentEvent>
    /// One element each time the triage queue within the stream's region changes (``TriageQueries/QueueMark`` of
    /// the region's subtree): reports entered or left it. It carries nothing, and a stream is told only of its own
    /// region's queue (``LiveFeed/queueRegion(of:)``); a triage desk re-reads its own scoped view.
    let queue: AsyncStream<Void>
    fileprivate let ended: NIOLockedValueBox<End?>

    /// True once the session was found ended (logout, expiry, a disabled operator): send nothing more, close.
    /// Events already buffered in ``events`` are then not to be sent either.
    var sessionEnded: Bool { end != nil }
    /// How the session's end was found; nil while it lives.
    var end: End? { ended.withLockedValue { $0 } }
}

/// The console's live updates: one poller per process reads new rows of the append-only audit trail
/// (`case_events`) every ``interval`` and hands them to every open event stream, each filtered to its operator's
/// scope. Reading the audit trail instead of publishing from each write means every change is seen, whichever
/// code path or server node made it (several nodes share one PostgreSQL). The poller runs only while a stream is
/// open, and stops (awaited) before the app's databases close.
///
/// Every tick also checks, in one query, that the session of each open stream is still live (not logged out,
/// expired, or of a disabled operator), after reading the events and before handing them out: a stream whose
/// session ended gets nothing more and is closed, within one ``interval`` of the end on every node. A logout on
/// this node closes its streams at once (``endStreams(ofSession:)``).
final class LiveFeed: LifecycleHandler, Sendable {
    /// How often the audit trail is read: 0.5 s, well inside the 2 s in which a new report must show on screen.
    static let interval: Duration = .milliseconds(500)
    /// Rows re-read behind the newest id seen: on PostgreSQL a transaction may commit after one with a higher id.
    static let lookback = 200
    /// The triage queue's marks (``TriageQueries/QueueMarks``, every region's at once) are read every 4th tick
    /// (2 s), the most often an open triage desk re-reads itself: one read a tick whatever the number of streams,
    /// each stream then told whether its own region's mark changed.
    static let queueTicks = 4

    private struct Subscriber {
        let continuation: AsyncStream<LiveEvent>.Continuation
        let incidents: AsyncStream<LiveIncidentEvent>.Continuation
        let queue: AsyncStream<Void>.Continuation
        /// SHA-256 of the session token (as stored in `session_tokens.token_hash`).
        let sessionHash: String
        /// The region whose triage queue the stream watches; nil: none.
        let queueRegion: String?
        let ended: NIOLockedValueBox<LiveSubscription.End?>

        func end(_ how: LiveSubscription.End) {
            ended.withLockedValue { $0 = $0 ?? how }
            continuation.finish()
            incidents.finish()
            queue.finish()
        }
    }

    private struct State {
        var subscribers: [UUID: Subscriber] = [:]
        var task: Task<Void, Never>?
        var seen: Set<Int> = []
        var lastID: Int?
        var checks = 0
        var incidentCursor = LiveIncidentEvent.Cursor()
        var queueMarks: TriageQueries.QueueMarks?
        var ticks = 0
    }
    private let state = NIOLockedValueBox(State())

    /// How many session checks this feed has started (one a tick while a stream is open): a session that ends
    /// before check n starts is found by check n at the latest.
    var checksStarted: Int { state.withLockedValue { $0.checks } }

    /// A stream of new events for as long as the caller keeps it and the session lives; starts the poller on first
    /// use.
    /// - Parameters:
    ///   - sessionHash: SHA-256 of the session token the stream serves (`Access.digest` of the token).
    ///   - queueRegion: the region code whose triage queue the stream is told about (``queueRegion(of:)``); nil:
    ///     the stream is told of no queue change.
    func subscribe(_ app: Application, sessionHash: String, queueRegion: String? = nil) -> LiveSubscription {
        let id = UUID()
        let (stream, continuation) = AsyncStream<LiveEvent>.makeStream(bufferingPolicy: .bufferingNewest(500))
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.subscribers.removeValue(forKey: id) }
        }
        let ended = NIOLockedValueBox<LiveSubscription.End?>(nil)
        let (incidents, incidentContinuation) = AsyncStream<LiveIncidentEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(500))
        let (queue, queueContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        state.withLockedValue { state in
            state.subscribers[id] = Subscriber(
                continuation: continuation, incidents: incidentContinuation, queue: queueContinuation,
                sessionHash: sessionHash, queueRegion: queueRegion, ended: ended)
            if state.task == nil { state.task = Task { [weak self, weak app] in await self?.run(app) } }
        }
        return LiveSubscription(events: stream, incidents: incidents, queue: queue, ended: ended)
    }

    /// The region whose triage queue an operator's stream watches: their own region for those who may triage
    /// (``OperatorScope/worksForACentre``, who see the queue within their region subtree), nil for everyone else.
    static func queueRegion(of scope: OperatorScope) -> String? { scope.worksForACentre ? scope.regionCode : nil }

    /// Ends at once the streams on this node that serve the session whose token hashes to `sessionHash`.
    func endStreams(ofSession sessionHash: String) {
        let ending = state.withLockedValue { state in state.subscribers.values.filter { $0.sessionHash == sessionHash }
        }
        for subscriber in ending { subscriber.end(.signedOut) }
    }

    /// Stops the poller, waits for a read in progress, and ends every stream.
    func shutdownAsync(_ application: Application) async {
        let (task, subscribers) = state.withLockedValue { state in
            defer { state.subscribers = [:] }
            return (state.task, Array(state.subscribers.values))
        }
        task?.cancel()
        await task?.value
        for subscriber in subscribers {
            subscriber.continuation.finish()
            subscriber.incidents.finish()
            subscriber.queue.finish()
        }
    }

    private func run(_ app: Application?) async {
        while !Task.isCancelled {
            // Nobody listening: stop, and start afresh (from the newest event) with the next stream.
            let listening = state.withLockedValue { state in
                if state.subscribers.isEmpty {
                    state.task = nil
                    state.lastID = nil
                    state.seen = []
                    state.incidentCursor = LiveIncidentEvent.Cursor()
                    state.queueMarks = nil
                }
                return !state.subscribers.isEmpty
            }
            guard listening, let app else { return }
            do {
                try await poll(app)
            } catch {
                app.logger.warning("live feed read failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: Self.interval)
        }
    }

    private func poll(_ app: Application) async throws {
        let lastID = state.withLockedValue { $0.lastID }
        guard let lastID else {
            // Start at the newest event (the screen shows history from its own query): the rows of the look-back
            // window count as seen, so they are not sent again as new.
            let newest = try await CaseEvent.query(on: app.db).sort(\.$id, .descending).first()?.id ?? 0
            let recent = try await CaseEvent.query(on: app.db).filter(\.$id > newest - Self.lookback).all()
            state.withLockedValue { state in
                state.lastID = newest
                state.seen = Set(recent.compactMap(\.id))
            }
            let (_, incidentCursor) = try await LiveIncidentEvent.read(after: .init(), on: app.db)
            let queueMarks = try await TriageQueries.queueMarks(hierarchy: app.reference.hierarchy, on: app.db)
            state.withLockedValue {
                $0.incidentCursor = incidentCursor
                $0.queueMarks = queueMarks
            }
            _ = try await liveSubscribers(app)
            return
        }
        let rows = try await CaseEvent.query(on: app.db).filter(\.$id > lastID - Self.lookback).sort(\.$id)
            .limit(Self.lookback * 2).all()
        let fresh = state.withLockedValue { state in
            rows.filter { state.seen.insert($0.id ?? 0).inserted && ($0.id ?? 0) > 0 }
        }
        let events = fresh.isEmpty ? [] : try await Self.describe(fresh, app: app)
        let incidentCursor = state.withLockedValue { $0.incidentCursor }
        let (incidentEvents, nextCursor) = try await LiveIncidentEvent.read(after: incidentCursor, on: app.db)
        // The triage queue's marks every ``queueTicks`` ticks only (an open triage desk re-reads at most every 2 s),
        // every region's in one read, whatever the number of streams; not at all while no open stream watches one.
        let readQueue = state.withLockedValue { state in
            state.incidentCursor = nextCursor
            state.ticks += 1
            return state.ticks % Self.queueTicks == 0 && state.subscribers.values.contains { $0.queueRegion != nil }
        }
        let queueMarks =
            readQueue ? try await TriageQueries.queueMarks(hierarchy: app.reference.hierarchy, on: app.db) : nil
        let queueChanged = state.withLockedValue { state -> Set<String> in
            guard let queueMarks, let old = state.queueMarks, old != queueMarks else {
                if let queueMarks { state.queueMarks = queueMarks }
                return []
            }
            state.queueMarks = queueMarks
            return queueMarks.changed(since: old)
        }
        // After the events were read: an event written after a session ended is never handed to its streams.
        let subscribers = try await liveSubscribers(app)
        for event in incidentEvents { for subscriber in subscribers { subscriber.incidents.yield(event) } }
        for subscriber in subscribers {
            if let region = subscriber.queueRegion, queueChanged.contains(region) { subscriber.queue.yield() }
        }
        guard !fresh.isEmpty else { return }
        state.withLockedValue { state in
            state.lastID = max(lastID, fresh.compactMap(\.id).max() ?? lastID)
            let floor = (state.lastID ?? 0) - Self.lookback
            state.seen = state.seen.filter { $0 > floor }
        }
        for event in events { for subscriber in subscribers { subscriber.continuation.yield(event) } }
    }

    /// Ends the streams whose session has ended (one query for all of them) and returns the others.
    private func liveSubscribers(_ app: Application) async throws -> [Subscriber] {
        let (subscribers, check) = state.withLockedValue { state in
            state.checks += 1
            return (Array(state.subscribers.values), state.checks)
        }
        guard !subscribers.isEmpty else { return [] }
        let live = try await Access.liveSessions(
            Set(subscribers.map(\.sessionHash)), on: app.db, now: app.clock.now())
        for subscriber in subscribers where !live.contains(subscriber.sessionHash) { subscriber.end(.check(check)) }
        return subscribers.filter { live.contains($0.sessionHash) }
    }

    /// The events with their case's region, category, unit and text, named in `language`.
    static func describe(_ rows: [CaseEvent], app: Application, language: DisplayLanguage = .zh) async throws
        -> [LiveEvent]
    {
        let reference = app.reference
        let ids = Array(Set(rows.map(\.caseID)))
        let cases = try await Case.query(on: app.db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(
            cases.compactMap { record in record.id.map { ($0, record) } }, uniquingKeysWith: { a, _ in a })
        return rows.compactMap { row in
            guard let record = byID[row.caseID], let id = row.id else { return nil }
            return LiveEvent(
                id: id, caseID: row.caseID, action: row.action.rawValue, actionName: "",
                keepsState: row.fromState == row.toState,
                toState: row.toState.rawValue, stateName: "", at: row.at, actor: row.actor,
                regionCode: record.regionCode,
                regionName: "", districtCode: reference.hierarchy.ancestor(of: record.regionCode, at: .district)?.code,
                categoryCode: record.categoryCode, categoryName: "", unitName: "",
                description: String((record.description ?? "").prefix(80)), unitCode: record.unitCode
            ).named(in: language, reference: reference)
        }
    }
}

extension Application {
    private struct LiveFeedKey: StorageKey { typealias Value = LiveFeed }

    /// The process's live feed; installed by `configure`, stopped at shutdown.
    var liveFeed: LiveFeed { storage.required(LiveFeedKey.self) }

    func installLiveFeed() {
        let feed = LiveFeed()
        storage[LiveFeedKey.self] = feed
        lifecycle.use(feed)
    }
}
