import CityDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// The outbox: a notice is written with the change it tells of, delivered at least once (a failed delivery is tried
/// again on the next pass), and shown once on the citizen's page.
@Suite struct GovOutboxTests {
    /// A sender that fails its first `failures` deliveries, then records what it sent.
    final class FlakySender: GovNotifier, Sendable {
        let state = NIOLockedValueBox((failuresLeft: 1, sent: [UUID]()))
        func deliver(_ notice: GovNotification, on db: any Database) async throws {
            let fail = state.withLockedValue { box -> Bool in
                if box.failuresLeft > 0 {
                    box.failuresLeft -= 1
                    return true
                }
                box.sent.append(notice.id!)
                return false
            }
            if fail { throw Abort(.serviceUnavailable, reason: "SMS gateway down") }
        }
    }

    @Test func aFailedDeliveryIsTriedAgainAndEachNoticeIsShownOnce() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in #expect(res.status == .created) }
            let sender = FlakySender()
            #expect(
                try await GovOutbox.deliverPending(notifier: sender, gate: app.writeGate, db: app.db, now: clock.now)
                    == (0, 1))
            #expect(try await GovNotification.query(on: app.db).filter(\.$deliveredAt == nil).count() == 1)
            #expect(
                try await GovOutbox.deliverPending(notifier: sender, gate: app.writeGate, db: app.db, now: clock.now)
                    == (1, 0))
            #expect(sender.state.withLockedValue { $0.sent.count } == 1)
            #expect(
                try await GovOutbox.deliverPending(notifier: sender, gate: app.writeGate, db: app.db, now: clock.now)
                    == (0, 0))
            for expected in [1, 0] {
                try await GovFixtures.send(app, .GET, "/api/v1/me/notifications", token: citizen) { res in
                    let decoded = try res.content.decode(GovServiceStoryTests.NoticeList.self)
                    #expect(decoded.notifications.count == expected)
                }
            }
        }
    }

    @Test func aFailedNoticeDoesNotHoldBackTheOthers() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            for token in ["first", "second"] {
                try await GovFixtures.send(
                    app, .POST, "/api/v1/me/applications", token: citizen,
                    body: GovFixtures.newbornApplication(token: token)
                ) { res in #expect(res.status == .created) }
            }
            let sender = FlakySender()
            let outcome = try await GovOutbox.deliverPending(
                notifier: sender, gate: app.writeGate, db: app.db, now: clock.now)
            #expect(outcome == (1, 1))
            #expect(sender.state.withLockedValue { $0.sent.count } == 1)
            #expect(try await GovNotification.query(on: app.db).filter(\.$deliveredAt == nil).count() == 1)
        }
    }
}
