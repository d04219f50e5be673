import Foundation

/// Picks resources for a request nearest first.
///
/// There is no road network in CityNet's data, so "nearest" is the straight-line great-circle distance
/// (``GeoPoint/distance(to:)``, haversine) from the resource's position to the incident's point; equal distances go
/// by id so the choice is repeatable.
public enum NearestFirst {
    /// A resource that could be assigned.
    public struct Candidate: Sendable, Equatable {
        public var id: String
        public var position: GeoPoint

        public init(id: String, position: GeoPoint) {
            self.id = id
            self.position = position
        }
    }

    /// All `candidates` ordered nearest first to `target`, each with its distance in metres.
    public static func order(_ candidates: [Candidate], to target: GeoPoint) -> [(id: String, meters: Double)] {
        candidates.map { ($0.id, $0.position.distance(to: target)) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { (id: $0.0, meters: $0.1) }
    }

    /// The `count` nearest of `candidates` to `target` (fewer when there are fewer).
    public static func pick(_ count: Int, of candidates: [Candidate], to target: GeoPoint) -> [(
        id: String, meters: Double
    )] {
        Array(order(candidates, to: target).prefix(max(0, count)))
    }
}
