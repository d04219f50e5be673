public enum CityDomainInfo { public static let name = "CityDomain" }
