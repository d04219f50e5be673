import Vapor

/// The `limit` and `offset` of a paged API list, checked: `limit` 1…500 (default 50), `offset` 0…1,000,000
/// (default 0), as `/openapi.json` documents them.
struct PageWindow: Sendable, Equatable {
    static let maxLimit = 500
    static let maxOffset = 1_000_000

    let limit: Int
    let offset: Int

    /// - Throws: ``LocalizedRefusal`` 400 (`paging.limit`, `paging.offset`) naming the parameter and its range when a value is out of range.
    init(limit: Int?, offset: Int?) throws {
        self.limit = limit ?? 50
        self.offset = offset ?? 0
        guard (1...Self.maxLimit).contains(self.limit) else {
            throw LocalizedRefusal(
                .badRequest, "paging.limit", ["maximum": "\(Self.maxLimit)", "value": "\(self.limit)"])
        }
        guard (0...Self.maxOffset).contains(self.offset) else {
            throw LocalizedRefusal(
                .badRequest, "paging.offset", ["maximum": "\(Self.maxOffset)", "value": "\(self.offset)"])
        }
    }
}

/// One page of a list with the total number of items the query matches.
struct Page<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
    /// The token of the page after this one, for lists that page by keyset: present when the page is full (a full
    /// last page too, whose next page is then empty), absent on a shorter page and on lists that do not page so.
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items, total, limit, offset
        case nextCursor = "next_cursor"
    }

    init(items: [Item], total: Int, window: PageWindow, nextCursor: String? = nil) {
        self.items = items
        self.total = total
        limit = window.limit
        offset = window.offset
        self.nextCursor = nextCursor
    }
}
