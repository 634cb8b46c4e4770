import Foundation
import Testing

@testable import Domain

@Suite struct InfobipBaseURLTests {
    @Test(arguments: [
        ("xyz.api.infobip.com", "https://xyz.api.infobip.com"),
        ("https://xyz.api.infobip.com", "https://xyz.api.infobip.com"),
        ("https://xyz.api.infobip.com/", "https://xyz.api.infobip.com"),
        ("xyz.api.infobip.com/", "https://xyz.api.infobip.com"),
        ("  https://xyz.api.infobip.com  ", "https://xyz.api.infobip.com"),
        ("https://xyz.api.infobip.com:8443", "https://xyz.api.infobip.com:8443"),
        ("https://xyz.api.infobip.com:8443/", "https://xyz.api.infobip.com:8443"),
    ])
    func httpsHostNormalised(input: String, expected: String) throws {
        let baseURL = try InfobipBaseURL(parsing: input)
        #expect(baseURL.value == expected)
    }

    @Test(arguments: [
        ("XYZ.API.Infobip.COM", "https://xyz.api.infobip.com"),
        ("HTTPS://XYZ.Api.Infobip.com/", "https://xyz.api.infobip.com"),
        ("HTTP://LOCALHOST:9090", "http://localhost:9090"),
    ])
    func schemeAndHostLowercased(input: String, expected: String) throws {
        let baseURL = try InfobipBaseURL(parsing: input)
        #expect(baseURL.value == expected)
    }

    @Test(arguments: [
        ("http://127.0.0.1", "http://127.0.0.1"),
        ("http://127.0.0.1:9090", "http://127.0.0.1:9090"),
        ("http://127.0.0.1:9090/", "http://127.0.0.1:9090"),
        ("http://127.1.2.3:8080", "http://127.1.2.3:8080"),
        ("http://localhost", "http://localhost"),
        ("http://localhost:9090", "http://localhost:9090"),
    ])
    func loopbackAllowsPlainHTTP(input: String, expected: String) throws {
        let baseURL = try InfobipBaseURL(parsing: input)
        #expect(baseURL.value == expected)
    }

    @Test(arguments: ["http://[::1]", "http://[::1]:9090", "http://[::1]:9090/"])
    func ipv6LoopbackAllowsPlainHTTP(input: String) {
        #expect(throws: Never.self) {
            try InfobipBaseURL(parsing: input)
        }
    }

    /// An IPv6 host must keep exactly one pair of brackets, or `URL(string:)` rejects the value.
    @Test(arguments: [
        ("http://[::1]:9090", "http://[::1]:9090"),
        ("http://[::1]", "http://[::1]"),
        ("https://[2001:db8::1]", "https://[2001:db8::1]"),
        ("https://[2001:DB8::1]:8443/", "https://[2001:db8::1]:8443"),
    ])
    func ipv6HostKeepsOneBracketPair(input: String, expected: String) throws {
        let baseURL = try InfobipBaseURL(parsing: input)
        #expect(baseURL.value == expected)
        #expect(URL(string: baseURL.value) != nil)
    }

    @Test(arguments: [
        ("https://xyz.api.infobip.com/whatsapp/1/message/template", "/whatsapp/1/message/template"),
        ("xyz.api.infobip.com/sms/2/text/advanced", "/sms/2/text/advanced"),
        ("https://xyz.api.infobip.com//", "//"),
        ("http://127.0.0.1:9090/whatsapp", "/whatsapp"),
    ])
    func baseURLWithPathRejected(input: String, path: String) {
        #expect(throws: InfobipBaseURLError.hasPath(input, path: path)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: [
        "http://xyz.api.infobip.com",
        "http://xyz.api.infobip.com:80",
        "HTTP://XYZ.API.INFOBIP.COM",
        "http://10.0.0.1:9090",
        "http://192.168.1.10",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://127.0.0.256",
        "http://127.1",
        "http://[::2]:9090",
        "ftp://xyz.api.infobip.com",
    ])
    func insecureSchemeRejected(input: String) {
        #expect(throws: InfobipBaseURLError.insecureScheme(input)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: [
        "https://xyz.api.infobip.com?apiKey=secret",
        "https://xyz.api.infobip.com/?apiKey=secret",
        "https://xyz.api.infobip.com?",
        "http://127.0.0.1:9090?debug=1",
    ])
    func baseURLWithQueryRejected(input: String) {
        #expect(throws: InfobipBaseURLError.invalid(input)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: [
        "https://xyz.api.infobip.com#top",
        "https://user@xyz.api.infobip.com",
        "https://user:secret@xyz.api.infobip.com",
        "https://:secret@xyz.api.infobip.com",
    ])
    func fragmentOrUserRejected(input: String) {
        #expect(throws: InfobipBaseURLError.invalid(input)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: ["https://", "://xyz.api.infobip.com", "https://xyz.api.infobip.com:abc"])
    func missingHostOrBadPortRejected(input: String) {
        #expect(throws: InfobipBaseURLError.invalid(input)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: ["", "   "])
    func emptyTextRejected(input: String) {
        #expect(throws: InfobipBaseURLError.empty) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test func urlMatchesNormalisedValue() throws {
        let baseURL = try InfobipBaseURL(parsing: "XYZ.api.infobip.com:8443/")
        #expect(baseURL.url.absoluteString == "https://xyz.api.infobip.com:8443")
        #expect(baseURL.url.host == "xyz.api.infobip.com")
        #expect(baseURL.url.port == 8443)
        #expect(baseURL.description == baseURL.value)
    }

    @Test func equalAfterNormalisation() throws {
        let bare = try InfobipBaseURL(parsing: "xyz.api.infobip.com")
        let full = try InfobipBaseURL(parsing: "HTTPS://XYZ.api.infobip.com/")
        #expect(bare == full)
        #expect(Set([bare, full]).count == 1)
    }

    @Test func pathErrorNamesPath() {
        let error = InfobipBaseURLError.hasPath("https://h.example/x", path: "/x")
        #expect(error.description.contains("'https://h.example/x'"))
        #expect(error.description.contains("'/x'"))
    }

    @Test func insecureErrorShowsLoopbackExample() {
        let error = InfobipBaseURLError.insecureScheme("http://h.example")
        #expect(error.description.contains("'http://h.example'"))
        #expect(error.description.contains("http://127.0.0.1:9090"))
    }
}
