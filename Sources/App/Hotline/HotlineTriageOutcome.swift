/// Where a hotline report is in triage (`reports.triage_state`); each ``HotlineTriageOutcome`` maps to one.
enum HotlineTriageState: String, Codable, CaseIterable, Sendable {
    /// Stored; triage not finished (retried by ``HotlineRecovery``).
    case pending
    /// Waiting for a person in the triage queue.
    case queued
    /// Became a case or merged into one.
    case done
    /// A person decided it needs no case.
    case dismissed
}

/// What became of a hotline report in triage (CityNet hotline issue §1–§4): stored with the report's triage record
/// and returned to the caller.
///
/// In JSON (the `reports.triage` column and the API) it is flattened into the record as before: `outcome` is
/// `pending`, `queued`, `dispatched`, `merged` or `dismissed`; a case link adds `case_id`, `unit_code` and
/// `unit_name`; a merge adds `merge_reasons`.
enum HotlineTriageOutcome: Equatable, Sendable {
    /// The case a report became or joined, and the unit holding it then.
    struct CaseLink: Equatable, Sendable {
        var caseID: Int
        var unitCode: String
        /// The unit's Chinese name, when the unit is known.
        var unitName: String?
    }

    /// Stored, triage not finished: it is retried at the next start.
    case pending
    /// Waiting for a person in the triage queue (the record's `reason` says why).
    case queued
    /// A new case was opened and dispatched for it (by the classifier, a person, or a split).
    case dispatched(CaseLink)
    /// It joined an open case it duplicates; `reasons` say why (same category, same region, time, text
    /// similarity).
    case merged(CaseLink, reasons: [String])
    /// A person decided it needs no case (the record's `reason` says why).
    case dismissed

    /// The code stored in the record's `outcome` field.
    var code: String {
        switch self {
        case .pending: "pending"
        case .queued: "queued"
        case .dispatched: "dispatched"
        case .merged: "merged"
        case .dismissed: "dismissed"
        }
    }

    /// The report's triage state with this outcome: `done` once it is in a case.
    var triageState: HotlineTriageState {
        switch self {
        case .pending: .pending
        case .queued: .queued
        case .dispatched, .merged: .done
        case .dismissed: .dismissed
        }
    }

    /// The case it became or joined, if any.
    var caseLink: CaseLink? {
        switch self {
        case .dispatched(let link), .merged(let link, _): link
        case .pending, .queued, .dismissed: nil
        }
    }

    /// Why it was merged, for a merge.
    var mergeReasons: [String]? {
        if case .merged(_, let reasons) = self { return reasons }
        return nil
    }
}

extension Report {
    /// Records a triage decision on the report: its triage state and case follow from `record.outcome`; the record
    /// is kept as JSON in `triage`. Only the model changes; the caller writes it (``HotlineIntake/saveTriage``).
    func setTriage(_ record: HotlineTriageRecord) throws {
        triageState = record.outcome.triageState
        caseID = record.outcome.caseLink?.caseID
        triageCategory = record.categoryCode
        triage = try record.stored()
    }
}
