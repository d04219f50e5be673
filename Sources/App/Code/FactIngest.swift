import CityDomain
import Fluent
import Vapor

/// One fact as a source sends it (an item of `POST /api/v1/status-facts/{source}`). Every field is optional here so
/// that a missing one is a per-item error, not a refused batch.
struct FactInput: Content {
    /// The source's own id of the fact: a resend with the same id is a duplicate, not a second fact.
    var sourceID: String?
    /// The person's identity number (GB 11643-1999); stored only as its keyed hash. Not sent for a citizen's own
    /// declaration.
    var identityNumber: String?
    var kind: String?
    var value: String?
    var observedAt: String?
    var expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case identityNumber = "identity_number"
        case kind, value
        case observedAt = "observed_at"
        case expiresAt = "expires_at"
    }
}

struct FactBatchInput: Content {
    var facts: [FactInput]
}

/// Stores facts from one source, idempotent by (source, source id), and evaluates the status of every person a new or
/// resent fact is about (CityNet issue #16 §1). Facts are checked like readings: each item on its own (``FactRules``),
/// a per-item error never refuses the others.
enum FactIngest {
    /// The most facts one batch may carry.
    static let maxBatch = 1000

    /// A checked fact, not yet stored.
    struct Checked {
        var sourceID: String
        var subject: String
        var kind: String
        var value: String
        var observedAt: Date
        var expiresAt: Date?
    }

    /// Ingests `inputs` from `source`.
    /// - Parameter subject: the subject of every fact (a citizen's own declaration); nil to take each item's
    ///   `identity_number`.
    /// - Returns: one result per input, in order: `accepted` (with the stored id), `duplicate` or `error`.
    /// Every person an accepted or duplicate item is about is evaluated: a source that resends a batch after a
    /// failed answer (its facts stored, the evaluation not) gets the status brought up to date. Two identical
    /// batches at once answer per item (one stores, the other reads duplicates), never a failed batch.
    static func ingest(
        _ inputs: [FactInput], source: FactSource, subject fixedSubject: String? = nil, vault: IdentityVault,
        db: any Database, gate: WriteGate, now: Date, attempt: Int = 1
    ) async throws -> [ItemResultDTO] {
        var results: [ItemResultDTO?] = Array(repeating: nil, count: inputs.count)
        var checked: [(Int, Checked)] = []
        var firstIndex: [String: Int] = [:]
        for (index, input) in inputs.enumerated() {
            do {
                let fact = try check(input, subject: fixedSubject, vault: vault, now: now)
                if let first = firstIndex[fact.sourceID] { throw FactProblem.duplicateInBatch(firstIndex: first) }
                firstIndex[fact.sourceID] = index
                checked.append((index, fact))
            } catch let problem as FactProblem {
                results[index] = ItemResultDTO(
                    index: index, status: "error", error: ItemErrorDTO(code: problem.code, message: problem.message))
            }
        }
        let stored = try await StatusFactRow.query(on: db).filter(\.$source == source.rawValue)
            .filter(\.$sourceID ~~ checked.map(\.1.sourceID)).all()
        let byID = Dictionary(stored.map { ($0.sourceID, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [StatusFactRow] = []
        var subjects: Set<String> = []
        for (index, fact) in checked {
            if let existing = byID[fact.sourceID] {
                if existing.subject == fact.subject { subjects.insert(fact.subject) }
                let same =
                    existing.subject == fact.subject && existing.kind == fact.kind && existing.value == fact.value
                    && existing.observedAt == fact.observedAt && existing.expiresAt == fact.expiresAt
                results[index] =
                    same
                    ? ItemResultDTO(index: index, status: "duplicate", id: existing.id?.uuidString.lowercased())
                    : ItemResultDTO(
                        index: index, status: "error",
                        error: ItemErrorDTO(
                            code: FactProblem.conflictsWithStored.code, message: FactProblem.conflictsWithStored.message
                        ))
                continue
            }
            let row = StatusFactRow()
            row.id = UUID()
            row.source = source.rawValue
            (row.sourceID, row.subject, row.kind, row.value) = (fact.sourceID, fact.subject, fact.kind, fact.value)
            (row.observedAt, row.expiresAt, row.receivedAt) = (fact.observedAt, fact.expiresAt, now)
            rows.append(row)
            results[index] = ItemResultDTO(index: index, status: "accepted", id: row.id?.uuidString.lowercased())
        }
        if !rows.isEmpty {
            let new = rows
            do {
                try await gate.exclusive { db in try await new.create(on: db) }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // The same facts came in another batch at the same moment and were stored first: answer from what
                // is stored now.
                guard attempt < StatusStore.attempts else { throw StatusBusy() }
                return try await ingest(
                    inputs, source: source, subject: fixedSubject, vault: vault, db: db, gate: gate, now: now,
                    attempt: attempt + 1)
            }
            subjects.formUnion(rows.map(\.subject))
        }
        if !subjects.isEmpty {
            let (version, rules) = try await StatusStore.currentRules(db: db, gate: gate, now: now)
            for subject in subjects.sorted() {
                try await StatusStore.evaluate(subject, rules: rules, version: version, db: db, gate: gate, now: now)
            }
        }
        return results.map { $0! }
    }

    /// Checks one input: fields present, identity number valid, ``FactRules/check`` passed.
    static func check(_ input: FactInput, subject: String?, vault: IdentityVault, now: Date) throws(FactProblem)
        -> Checked
    {
        guard let sourceID = input.sourceID else { throw .missingField("source_id") }
        guard let kind = input.kind else { throw .missingField("kind") }
        guard let value = input.value else { throw .missingField("value") }
        guard let observedText = input.observedAt else { throw .missingField("observed_at") }
        guard let observed = FactRules.time(observedText) else {
            throw .invalidTime(field: "observed_at", text: observedText)
        }
        var expires: Int64?
        if let text = input.expiresAt {
            guard let time = FactRules.time(text) else { throw .invalidTime(field: "expires_at", text: text) }
            expires = time
        }
        let resolved: String
        if let subject {
            resolved = subject
        } else {
            guard let text = input.identityNumber else { throw .missingField("identity_number") }
            do { resolved = vault.lookup(try IdentityNumber(text)) } catch { throw .invalidSubject("\(error)") }
        }
        try FactRules.check(
            kind: kind, value: value, sourceID: sourceID, observedAt: observed, expiresAt: expires,
            now: Int64(now.timeIntervalSince1970))
        return Checked(
            sourceID: sourceID, subject: resolved, kind: kind, value: value,
            observedAt: Date(timeIntervalSince1970: TimeInterval(observed)),
            expiresAt: expires.map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}
