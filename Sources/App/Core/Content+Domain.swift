import CityDomain
import Vapor

// Domain value types served as JSON as they are: their Codable shapes are the API's.
extension Region: Content {}
extension CityDomain.Unit: Content {}
extension LocatedRegion: Content {}
