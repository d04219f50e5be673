import Hotline
import Testing

@Test func moduleLinks() { #expect(String(describing: HotlineModule.self) == "HotlineModule") }
