public enum Open311Info { public static let specification = "http://wiki.open311.org/GeoReport_v2" }
