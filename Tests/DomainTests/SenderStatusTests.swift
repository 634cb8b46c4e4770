import Foundation
import Testing

@testable import Domain

@Suite struct SenderStatusTests {
    @Test(arguments: [
        (SenderStatus.active, "ACTIVE"),
        (.paused, "PAUSED"),
        (.disabled, "DISABLED"),
    ])
    func statusDecodesFromRawName(status: SenderStatus, name: String) throws {
        let decoded = try JSONDecoder().decode(
            [SenderStatus].self,
            from: Data("[\"\(name)\"]".utf8)
        )
        #expect(decoded == [status])
        #expect(status.rawValue == name)
    }

    @Test(arguments: ["active", "BANNED", ""])
    func unknownNameFailsDecoding(name: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SenderStatus].self, from: Data("[\"\(name)\"]".utf8))
        }
    }
}
