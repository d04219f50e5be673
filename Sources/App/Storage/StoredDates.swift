import Fluent
import Foundation
import NIOCore

extension Timestamps {
    /// `date` at whole microseconds: the precision PostgreSQL's `timestamptz` keeps. SQLite keeps a `Double` and
    /// would store the nanoseconds a `Date` carries, so the same instant compared differently on the two
    /// databases (`received_at <= $1` with the value read back from a row missed that row on SQLite only).
    /// Rounded to the nearest microsecond counted from 2001-01-01 — as SQLiteNIO rounds a `Date` it reads, so
    /// the value read back from either database is this very `Date`.
    static func stored(_ date: Date) -> Date {
        Date(timeIntervalSinceReferenceDate: (date.timeIntervalSinceReferenceDate * 1_000_000).rounded() / 1_000_000)
    }

    /// Sets every `Date` field of `model` (`@Field` and `@OptionalField`) to ``stored(_:)`` of its value. The one
    /// place every stored date passes: ``StoredDatesMiddleware`` calls it for each Fluent create and update, and
    /// ``IntakeRows`` for the rows it inserts itself.
    static func normaliseDates(of model: any Fields) {
        for property in model.properties {
            (property as? any MicrosecondDate)?.roundToMicroseconds()
        }
    }
}

/// A model property holding a date to be stored at whole microseconds.
protocol MicrosecondDate {
    func roundToMicroseconds()
}

extension FieldProperty: MicrosecondDate where Value == Date {
    func roundToMicroseconds() {
        if let date = value, Timestamps.stored(date) != date { value = Timestamps.stored(date) }
    }
}

extension OptionalFieldProperty: MicrosecondDate where WrappedValue == Date {
    func roundToMicroseconds() {
        if let date = value ?? nil, Timestamps.stored(date) != date { value = .some(Timestamps.stored(date)) }
    }
}

/// Stores every `Date` of a model created or updated through Fluent at whole microseconds
/// (``Timestamps/normaliseDates(of:)``), on SQLite and PostgreSQL alike.
struct StoredDatesMiddleware: AnyModelMiddleware {
    func handle(
        _ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder
    ) -> EventLoopFuture<Void> {
        switch event {
        case .create, .update: Timestamps.normaliseDates(of: model)
        default: break
        }
        return next.handle(event, model, on: db)
    }
}
