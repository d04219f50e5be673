import Vapor

/// Lets a request's handler see every reading stored before the request as processed: rollups, rule states, alarms
/// and their cases committed (``ReadingProcessor/catchUp(app:)``; nothing to wait for on PostgreSQL, which processes
/// in the ingesting transaction). The one place where the vitals reads (sensors, series, alarms, indicators, the
/// alarm desk) and the writes that build on processed state (clearing or acknowledging an alarm, changing a rule)
/// wait for the watermark. Registered after authentication, so an unauthenticated request waits for nothing.
struct ProcessedReadingsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await request.application.readingProcessor.catchUp(app: request.application)
        return try await next.respond(to: request)
    }
}
