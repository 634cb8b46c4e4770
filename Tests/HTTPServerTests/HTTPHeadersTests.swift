import HTTPServer
import Testing

@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresNameCase() {
        let headers: HTTPHeaders = ["Content-Type": "application/json"]

        #expect(headers["content-type"] == "application/json")
        #expect(headers["CONTENT-TYPE"] == "application/json")
        #expect(headers["Content-Length"] == nil)
    }

    @Test func repeatedNamesKeepArrivalOrder() {
        var headers = HTTPHeaders([("Set-Cookie", "a=1"), ("Accept", "*/*")])
        headers.add(name: "set-cookie", value: "b=2")

        #expect(headers["Set-Cookie"] == "a=1")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.map(\.name) == ["Set-Cookie", "Accept", "set-cookie"])
    }

    @Test func replaceOrAddKeepsOneValue() {
        var headers = HTTPHeaders([("X-Id", "1"), ("Accept", "*/*"), ("x-id", "2")])
        headers.replaceOrAdd(name: "X-ID", value: "3")
        headers.replaceOrAdd(name: "Location", value: "/wabas/1")

        #expect(headers.values(for: "x-id") == ["3"])
        #expect(headers.map(\.name) == ["X-ID", "Accept", "Location"])
        #expect(headers["location"] == "/wabas/1")
    }

    @Test func nonASCIINamesCompareExactly() {
        let headers = HTTPHeaders([("X-Ä", "1")])

        #expect(headers["X-Ä"] == "1")
        #expect(headers["x-ä"] == nil)
    }
}
