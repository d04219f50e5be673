@testable import CityDomain

/// Foundation also declares `Unit` (`NSUnit`); a module-level alias makes `Unit` mean CityDomain's unit in this
/// test module. Any module importing both Foundation and CityDomain needs the same line (or `CityDomain.Unit`).
typealias Unit = CityDomain.Unit
