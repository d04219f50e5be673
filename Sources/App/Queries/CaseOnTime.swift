import CityDomain
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// "Closed on time" for stored cases as SQL, from the domain's one rule
/// ``CaseWorkflow/isClosedOnTime(closedAt:dueAt:)`` (按期结案, CJ/T 315-2009): closed, and with no overall limit or
/// closed at or before it. Used by the city screen's league and the on-time closure indicator; `CaseOnTimeTests`
/// checks the SQL and the Swift rule pick the same cases on SQLite and PostgreSQL.
enum CaseOnTime {
    /// The rule as an SQL boolean over the row of `cases`:
    /// `("cases"."closed_at" IS NOT NULL AND ("cases"."due_at" IS NULL OR "cases"."closed_at" <= "cases"."due_at"))`.
    /// (A case is closed exactly when `closed_at` is set: ``CaseRules`` sets it on closing and clears it on
    /// reopening.)
    static func sqlExpression() -> any SQLExpression {
        func column<Field: AnyQueryableProperty>(_ field: KeyPath<Case, Field>) -> SQLColumn {
            SQLColumn(Case.path(for: field)[0].description, table: Case.schema)
        }
        let closed = SQLBinaryExpression(column(\.$closedAt), .isNot, SQLLiteral.null)
        let noLimit = SQLBinaryExpression(column(\.$dueAt), .is, SQLLiteral.null)
        let byLimit = SQLBinaryExpression(column(\.$closedAt), .lessThanOrEqual, column(\.$dueAt))
        return SQLGroupExpression(
            SQLBinaryExpression(closed, .and, SQLGroupExpression(SQLBinaryExpression(noLimit, .or, byLimit))))
    }
}
