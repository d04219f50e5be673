import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Group commit for reading batches on SQLite (CityNet issue 11 §6): the batches that arrive while one write is
/// queued or running share the next transaction, one after another inside it, so several batches cost one commit
/// (one WAL sync). Each caller returns after that commit, with its own outcomes; if the shared transaction fails,
/// each batch is written again alone, so one failing batch fails only itself.
final class ReadingInsertQueue: Sendable {
    typealias Stored = ([(Int, ReadingOutcome)], ReadingProcessor.Handoff?)

    private struct Entry: Sendable {
        let readings: [(Int, ParsedReading)]
        let nowMS: Int64
        let continuation: CheckedContinuation<Stored, any Error>
    }

    private struct State {
        var queued: [Entry] = []
        var scheduled = false
    }

    /// At most this many readings share one transaction.
    static let maxGroup = 40_000

    private let state = NIOLockedValueBox(State())

    /// Stores `readings` (sharing a transaction with batches sent at the same time) and returns after the commit.
    /// - Returns: the outcome per input index and the hand-over for the ``ReadingProcessor`` (nil when nothing was
    ///   new).
    func insert(_ readings: [(Int, ParsedReading)], nowMS: Int64, gate: WriteGate) async throws -> Stored {
        try await withCheckedThrowingContinuation { continuation in
            let schedule = state.withLockedValue { state -> Bool in
                state.queued.append(Entry(readings: readings, nowMS: nowMS, continuation: continuation))
                if state.scheduled { return false }
                state.scheduled = true
                return true
            }
            if schedule { Task { await self.drain(gate: gate) } }
        }
    }

    /// Writes queued batches, a group a transaction, until none is left.
    private func drain(gate: WriteGate) async {
        while true {
            let group = state.withLockedValue { state -> [Entry] in
                var count = 0
                var taken = 0
                for entry in state.queued {
                    if taken > 0 && count + entry.readings.count > Self.maxGroup { break }
                    count += entry.readings.count
                    taken += 1
                }
                let group = Array(state.queued.prefix(taken))
                state.queued.removeFirst(taken)
                if group.isEmpty { state.scheduled = false }
                return group
            }
            guard !group.isEmpty else { return }
            do {
                let results = try await gate.exclusive { db in
                    let sql = try db.sql()
                    var results: [Stored] = []
                    for entry in group {
                        results.append(
                            try await ReadingIngest.insertForProcessing(entry.readings, nowMS: entry.nowMS, on: sql))
                    }
                    return results
                }
                for (entry, result) in zip(group, results) { entry.continuation.resume(returning: result) }
            } catch {
                for entry in group {
                    do {
                        let result = try await gate.exclusive { db in
                            try await ReadingIngest.insertForProcessing(
                                entry.readings, nowMS: entry.nowMS, on: try db.sql())
                        }
                        entry.continuation.resume(returning: result)
                    } catch {
                        entry.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}

extension Application {
    private struct ReadingInsertQueueKey: StorageKey { typealias Value = ReadingInsertQueue }

    /// The app's reading insert queue (SQLite); installed by `configure`.
    var readingInsertQueue: ReadingInsertQueue {
        get { storage.required(ReadingInsertQueueKey.self) }
        set { storage[ReadingInsertQueueKey.self] = newValue }
    }
}
