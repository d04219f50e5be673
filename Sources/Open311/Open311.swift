/// Facts about the Open311 dialect this module speaks.
///
/// CityNet serves Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) with two families of extensions:
/// mySociety's `GET /servicerequestupdates.{format}` and CitySDK's `extended_attributes.detailed_status`.
public enum Open311Info {
    /// The specification token used in service discovery (`endpoints.endpoint.specification`).
    public static let specification = "http://wiki.open311.org/GeoReport_v2"
    /// The time zone every date-time this module writes is expressed in (offset `+08:00`).
    public static let timeZoneIdentifier = "Asia/Shanghai"
}
