import Testing

@testable import Domain

/// Ports and IP-address hosts of a base URL: a tenant must not aim the server's requests at
/// internal addresses, except loopback for a local simulator.
@Suite struct InfobipBaseURLAddressTests {
    @Test(arguments: [
        ("https://xyz.api.infobip.com:99999", 99999),
        ("https://xyz.api.infobip.com:65536", 65536),
        ("https://xyz.api.infobip.com:0", 0),
        ("http://127.0.0.1:70000", 70000),
    ])
    func portOutsideRangeRejected(input: String, port: Int) {
        #expect(throws: InfobipBaseURLError.invalidPort(input, port: port)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: [
        ("https://xyz.api.infobip.com:1", "https://xyz.api.infobip.com:1"),
        ("https://xyz.api.infobip.com:65535", "https://xyz.api.infobip.com:65535"),
    ])
    func portBoundsAccepted(input: String, expected: String) throws {
        #expect(try InfobipBaseURL(parsing: input).value == expected)
    }

    @Test(arguments: [
        ("https://10.0.0.1", "10.0.0.1", "a private address (10.0.0.0/8)"),
        ("https://172.16.0.1:8443", "172.16.0.1", "a private address (172.16.0.0/12)"),
        ("https://172.31.255.255", "172.31.255.255", "a private address (172.16.0.0/12)"),
        ("https://192.168.1.10/", "192.168.1.10", "a private address (192.168.0.0/16)"),
        ("https://100.64.0.1", "100.64.0.1", "a carrier-grade NAT address (100.64.0.0/10)"),
        (
            "https://100.127.255.254", "100.127.255.254",
            "a carrier-grade NAT address (100.64.0.0/10)"
        ),
        ("https://169.254.169.254", "169.254.169.254", "a link-local address (169.254.0.0/16)"),
        ("https://0.0.0.0", "0.0.0.0", "an address of this network (0.0.0.0/8)"),
        ("https://224.0.0.1", "224.0.0.1", "a multicast address (224.0.0.0/4)"),
        ("https://255.255.255.255", "255.255.255.255", "a reserved address (240.0.0.0/4)"),
        ("https://[::]", "::", "the unspecified address (::)"),
        ("https://[fe80::1]", "fe80::1", "a link-local address (fe80::/10)"),
        ("https://[febf::1]", "febf::1", "a link-local address (fe80::/10)"),
        ("https://[fc00::1]", "fc00::1", "a unique-local address (fc00::/7)"),
        (
            "https://[fd12:3456:789a::1]:8443", "fd12:3456:789a::1",
            "a unique-local address (fc00::/7)"
        ),
        ("https://[fec0::1]", "fec0::1", "a site-local address (fec0::/10)"),
        ("https://[ff02::1]", "ff02::1", "a multicast address (ff00::/8)"),
        ("https://[::ffff:10.0.0.1]", "::ffff:10.0.0.1", "a private address (10.0.0.0/8)"),
        ("https://[::ffff:a9fe:a9fe]", "::ffff:a9fe:a9fe", "a link-local address (169.254.0.0/16)"),
        (
            "https://[64:ff9b::192.168.0.1]", "64:ff9b::192.168.0.1",
            "a private address (192.168.0.0/16)"
        ),
    ])
    func internalAddressRejected(input: String, address: String, range: String) {
        let expected = InfobipBaseURLError.nonPublicAddress(input, address: address, range: range)
        #expect(throws: expected) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test(arguments: [
        ("https://203.0.113.10", "https://203.0.113.10"),
        ("https://100.63.255.255", "https://100.63.255.255"),
        ("https://100.128.0.1", "https://100.128.0.1"),
        ("https://172.15.0.1", "https://172.15.0.1"),
        ("https://172.32.0.1", "https://172.32.0.1"),
        ("https://[2001:db8::1]", "https://[2001:db8::1]"),
        ("https://[fbff::1]", "https://[fbff::1]"),
        ("https://[::ffff:203.0.113.10]", "https://[::ffff:203.0.113.10]"),
        ("https://127.0.0.1:9090", "https://127.0.0.1:9090"),
        ("https://[::1]:9090", "https://[::1]:9090"),
        ("https://[::ffff:127.0.0.1]", "https://[::ffff:127.0.0.1]"),
        ("https://10.example.com", "https://10.example.com"),
    ])
    func publicOrLoopbackAddressAccepted(input: String, expected: String) throws {
        #expect(try InfobipBaseURL(parsing: input).value == expected)
    }

    /// HTTP clients read these as IPv4 addresses in other notations, some of them private, so
    /// only plain dotted decimal is accepted.
    @Test(arguments: [
        "https://10.1",
        "https://167772161",
        "https://0x0a000001",
        "https://010.0.0.1",
        "https://10.0.0.1.",
        "https://10.0.0.256",
        "https://1.2.3.4.5",
        "https://[fe80::1%25eth0]",
        "https://[1::2::3]",
        "https://[12345::1]",
    ])
    func ambiguousAddressRejected(input: String) {
        #expect(throws: InfobipBaseURLError.invalidIPAddress(input)) {
            try InfobipBaseURL(parsing: input)
        }
    }

    @Test func addressErrorsExplainFix() {
        let nonPublic = InfobipBaseURLError.nonPublicAddress(
            "https://10.0.0.1",
            address: "10.0.0.1",
            range: "a private address (10.0.0.0/8)"
        )
        #expect(
            nonPublic.description
                == "'https://10.0.0.1' points to 10.0.0.1, a private address (10.0.0.0/8). Give "
                + "the Infobip account's public host, such as https://xyz.api.infobip.com. Of "
                + "the internal addresses, only loopback ones such as 127.0.0.1 are accepted, for "
                + "a local simulator."
        )
        let port = InfobipBaseURLError.invalidPort("https://x.api.infobip.com:0", port: 0)
        #expect(port.description.contains("'https://x.api.infobip.com:0' has port 0"))
    }
}
