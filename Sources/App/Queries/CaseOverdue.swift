import CityDomain
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// "Overdue" and "due soon" for stored cases, in every form the app needs, all from the domain's one rule
/// ``CaseWorkflow/isOverdue(state:suspended:stepDueAt:dueAt:now:)`` (CJ/T 315-2009 step limits; DESIGN.md §4).
///
/// - ``isOverdue(_:now:)``: in Swift, for a loaded case (the `overdue` flag of every DTO, the map's markers).
/// - ``sqlExpression(now:)``: the same rule as an SQL boolean over the `cases` table (the city screen's tally).
/// - ``filter(_:now:)``: the same expression as a Fluent filter (`?overdue=true` of the list and the desk).
///
/// The filter is the SQL expression, so the two database forms cannot drift apart, and the SQL spells the domain
/// rule term by term: open (`state <> 'closed'`), clock running (`suspended_since IS NULL`), and a due instant
/// strictly before now (a NULL due instant is never passed). `CaseOverdueTests` builds a case for every boundary
/// and checks on SQLite and PostgreSQL that all three forms pick exactly the same cases.
enum CaseOverdue {
    /// The domain rule applied to a stored case; an unknown stored state counts as open (as ``Case/snapshot``).
    /// - Parameters: `record`, the case; `now`, the instant to judge at.
    static func isOverdue(_ record: Case, now: Date) -> Bool {
        CaseWorkflow.isOverdue(
            state: record.state, suspended: record.suspendedSince != nil,
            stepDueAt: record.stepDueAt, dueAt: record.dueAt, now: now)
    }

    /// Whether a stored case's running step is due soon
    /// (``CaseWorkflow/isDueSoon(suspended:stepStartedAt:stepDueAt:now:)``).
    static func isDueSoon(_ record: Case, now: Date) -> Bool {
        CaseWorkflow.isDueSoon(
            suspended: record.suspendedSince != nil, stepStartedAt: record.stepStartedAt,
            stepDueAt: record.stepDueAt, now: now)
    }

    /// The rule as an SQL boolean over the row of `cases` in scope, with `now` bound as a parameter:
    /// `("cases"."state" <> 'closed' AND "cases"."suspended_since" IS NULL
    ///  AND ("cases"."step_due_at" < now OR "cases"."due_at" < now))`. Columns are qualified by the table, so it
    /// also works in queries that join `cases` to another table.
    static func sqlExpression(now: Date) -> any SQLExpression {
        // Column names come from the model's field keys, so a renamed field cannot leave the rule behind.
        func column<Field: AnyQueryableProperty>(_ field: KeyPath<Case, Field>) -> SQLColumn {
            SQLColumn(Case.path(for: field)[0].description, table: Case.schema)
        }
        let open = openExpression
        let running = SQLBinaryExpression(column(\.$suspendedSince), .is, SQLLiteral.null)
        let passed = SQLBinaryExpression(
            SQLBinaryExpression(column(\.$stepDueAt), .lessThan, SQLBind(now)), .or,
            SQLBinaryExpression(column(\.$dueAt), .lessThan, SQLBind(now)))
        return SQLGroupExpression(
            SQLBinaryExpression(SQLBinaryExpression(open, .and, running), .and, SQLGroupExpression(passed)))
    }

    /// The due-soon rule (``CaseWorkflow/isDueSoon(suspended:stepStartedAt:stepDueAt:now:)``: less than a quarter of
    /// the running step's limit left) as an SQL boolean over `cases`, with `now` bound:
    /// `state <> 'closed' AND suspended_since IS NULL AND step_due_at > now
    ///  AND 4 * (step_due_at - now) < step_due_at - step_started_at`. The arithmetic is on seconds since 1970 on
    /// SQLite (how sqlite-nio stores dates) and on intervals on PostgreSQL; `CaseOverdueTests` checks that both agree
    /// with the Swift rule.
    static func dueSoonExpression(now: Date) -> any SQLExpression {
        func column<Field: AnyQueryableProperty>(_ field: KeyPath<Case, Field>) -> SQLColumn {
            SQLColumn(Case.path(for: field)[0].description, table: Case.schema)
        }
        let due = column(\.$stepDueAt)
        let left = SQLBinaryExpression(due, .subtract, SQLBind(now))
        let limit = SQLBinaryExpression(due, .subtract, column(\.$stepStartedAt))
        let quarterLeft = SQLBinaryExpression(
            SQLBinaryExpression(SQLLiteral.numeric("4"), .multiply, SQLGroupExpression(left)), .lessThan,
            SQLGroupExpression(limit))
        let running = SQLBinaryExpression(column(\.$suspendedSince), .is, SQLLiteral.null)
        let ahead = SQLBinaryExpression(due, .greaterThan, SQLBind(now))
        return SQLGroupExpression(
            SQLBinaryExpression(
                SQLBinaryExpression(SQLBinaryExpression(openExpression, .and, running), .and, ahead), .and,
                quarterLeft))
    }

    /// `"cases"."state" <> 'closed'` with the state as a literal, not a parameter: the predicate of the partial
    /// index `cases_open_idx`, which a database uses only when the query spells the same condition.
    static var openExpression: any SQLExpression {
        SQLBinaryExpression(
            SQLColumn(Case.path(for: \.$state)[0].description, table: Case.schema), .notEqual,
            SQLLiteral.string(CaseState.closed.rawValue))
    }

    /// Narrows `query` to the cases overdue at `now`: ``sqlExpression(now:)`` as a filter.
    /// - Returns: `query`, for chaining.
    @discardableResult
    static func filter(_ query: QueryBuilder<Case>, now: Date) -> QueryBuilder<Case> {
        query.filter(.sql(sqlExpression(now: now)))
    }
}
