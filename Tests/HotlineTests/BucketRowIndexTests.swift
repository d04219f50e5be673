import Foundation
import Testing

@testable import Hotline

@Suite struct BucketRowIndexTests {
    @Test func rowsAreRanksOfTheBuckets() throws {
        var generator = RobustnessTests.Generator(state: 7)
        let dimension = 1 << 12
        let buckets = (0..<dimension).filter { _ in Int.random(in: 0..<10, using: &generator) < 3 }.map(Int32.init)
        let index = try #require(BucketRowIndex(ascending: buckets, dimension: dimension))
        var expected = [Int32](repeating: -1, count: dimension)
        for (row, bucket) in buckets.enumerated() { expected[Int(bucket)] = Int32(row) }
        for bucket in 0..<dimension { #expect(index.row(of: bucket) == expected[bucket]) }
        index.withLookup { rowOf in
            for bucket in 0..<dimension where rowOf(bucket) != expected[bucket] { Issue.record("bucket \(bucket)") }
        }
    }

    @Test func edgesOfTheSpace() throws {
        let index = try #require(BucketRowIndex(ascending: [0, 63, 64, 127, 4095], dimension: 4096))
        #expect(
            [0, 1, 62, 63, 64, 65, 127, 128, 4094, 4095].map { index.row(of: $0) } == [
                0, -1, -1, 1, 2, -1, 3, -1, -1, 4,
            ])
        let empty = try #require(BucketRowIndex(ascending: [], dimension: 1024))
        #expect(empty.row(of: 0) == -1 && empty.row(of: 1023) == -1)
    }

    @Test func refusesUnsortedRepeatedOrOutsideBuckets() {
        #expect(BucketRowIndex(ascending: [3, 3], dimension: 64) == nil)
        #expect(BucketRowIndex(ascending: [5, 4], dimension: 64) == nil)
        #expect(BucketRowIndex(ascending: [-1, 4], dimension: 64) == nil)
        #expect(BucketRowIndex(ascending: [1, 64], dimension: 64) == nil)
    }

    @Test func modelFilesWithRepeatedBucketsAreRefused() throws {
        let model = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        var json = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        var buckets = model.buckets
        buckets[1] = buckets[0]
        json["buckets"] = ModelBlob.packAscending(buckets).base64EncodedString()
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HotlineModel.self, from: data) }
    }
}
