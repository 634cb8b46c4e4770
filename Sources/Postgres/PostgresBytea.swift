public import Foundation

extension Data: PostgresEncodable {
    /// `bytea` in hex format: `\x` followed by two lowercase hex digits per byte.
    public var postgresText: String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Data: PostgresDecodable {
    /// Reads `bytea` output in hex format (`\x...`, the server's default `bytea_output`) or in
    /// the older escape format.
    public init(postgresText: String) throws {
        let bytes = Array(postgresText.utf8)
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") {
            self = try Self.decodeHex(bytes.dropFirst(2))
        } else {
            self = try Self.decodeEscaped(bytes)
        }
    }

    private static func decodeHex(_ digits: ArraySlice<UInt8>) throws -> Data {
        guard digits.count % 2 == 0 else {
            throw PostgresError.decoding("invalid bytea hex text: odd number of digits")
        }
        var data = Data(capacity: digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                throw PostgresError.decoding("invalid bytea hex text: not a hex digit")
            }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }

    /// Escape format: `\\` is a backslash, `\nnn` an octal byte, anything else itself.
    private static func decodeEscaped(_ bytes: [UInt8]) throws -> Data {
        let backslash = UInt8(ascii: "\\")
        var data = Data(capacity: bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == backslash else {
                data.append(bytes[index])
                index += 1
                continue
            }
            if index + 1 < bytes.count, bytes[index + 1] == backslash {
                data.append(backslash)
                index += 2
                continue
            }
            guard index + 3 < bytes.count,
                let octal = octalByte(bytes[(index + 1)...(index + 3)])
            else {
                throw PostgresError.decoding("invalid bytea escape text")
            }
            data.append(octal)
            index += 4
        }
        return data
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func octalByte(_ digits: ArraySlice<UInt8>) -> UInt8? {
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}
