import Foundation

/// The byte level of ``JSONStreamParser``: pulls chunks from the input, tracks the byte
/// offset, and scans strings, numbers and literals.
///
/// It keeps the current chunk and a scratch buffer for the string or number being read. The
/// buffer keeps its capacity between values, so it grows to the longest string or number so far.
struct JSONStreamLexer {
    /// The byte or condition that ends a run of plain string bytes.
    private enum RunEnd {
        case quote
        case backslash
        case controlCharacter
        case invalidUTF8
        /// A multi-byte UTF-8 sequence continues in the next chunk.
        case splitSequence
        case chunkEnd
    }

    private let read: () throws -> Data?
    private var chunk: [UInt8] = []
    /// The position of the next unread byte in `chunk`.
    private var index = 0
    /// The input offset of `chunk[0]`.
    private var chunkOffset = 0
    private var inputEnded = false
    /// The bytes of the string or number being read.
    private var scratch: [UInt8] = []

    /// Creates a lexer that pulls its input from `read`, which returns the next chunk, or
    /// `nil` at the end of the input.
    init(read: @escaping () throws -> Data?) {
        self.read = read
    }

    /// The number of input bytes consumed so far.
    var byteOffset: Int {
        chunkOffset + index
    }

    /// Consumes the byte that ``peekByte()`` or ``nextSignificantByte()`` just returned.
    mutating func skipByte() {
        index += 1
    }

    /// Returns an error with `reason` at the current offset.
    func invalid(_ reason: String) -> JSONStreamError {
        JSONStreamError(offset: byteOffset, reason: reason)
    }

    /// Returns the error for input that ends in the middle of the document.
    func unexpectedEnd() -> JSONStreamError {
        JSONStreamError(offset: byteOffset, reason: "unexpected end of input")
    }
}

// MARK: - Numbers

extension JSONStreamLexer {
    /// Scans a number by the RFC 8259 grammar, `-? (0 | [1-9][0-9]*) (. [0-9]+)?
    /// ([eE] [+-]? [0-9]+)?`, and returns its value when `build` is set, or 0.
    mutating func scanNumber(build: Bool) throws(JSONStreamError) -> Double {
        let start = byteOffset
        scratch.removeAll(keepingCapacity: true)
        var isInteger = true

        let isNegative = try peekByte() == JSONByte.minus
        if isNegative {
            take(build: build)
        }
        guard let first = try peekByte() else {
            throw unexpectedEnd()
        }
        guard JSONByte.isDigit(first) else {
            throw invalid("expected a digit after '-'")
        }
        take(build: build)
        if first == JSONByte.zero {
            if let next = try peekByte(), JSONByte.isDigit(next) {
                throw JSONStreamError(offset: start, reason: "number has a leading zero")
            }
        } else {
            try takeDigits(build: build)
        }

        if try peekByte() == JSONByte.period {
            isInteger = false
            take(build: build)
            try takeRequiredDigits(build: build, reason: "expected a digit after '.'")
        }
        if let byte = try peekByte(), byte == JSONByte.lowercaseE || byte == JSONByte.uppercaseE {
            isInteger = false
            take(build: build)
            if let sign = try peekByte(), sign == JSONByte.plus || sign == JSONByte.minus {
                take(build: build)
            }
            try takeRequiredDigits(build: build, reason: "expected a digit in the exponent")
        }
        guard build else { return 0 }
        return try numberValue(isInteger: isInteger, isNegative: isNegative, start: start)
    }

    /// Converts the number in `scratch`. Up to 15 digits fit a `Double` exactly, so short
    /// integers skip the text conversion.
    private func numberValue(
        isInteger: Bool,
        isNegative: Bool,
        start: Int
    ) throws(JSONStreamError) -> Double {
        let digitCount = scratch.count - (isNegative ? 1 : 0)
        if isInteger, digitCount <= 15 {
            var magnitude: Int64 = 0
            for byte in scratch.dropFirst(isNegative ? 1 : 0) {
                magnitude = magnitude * 10 + Int64(byte - JSONByte.zero)
            }
            return isNegative ? -Double(magnitude) : Double(magnitude)
        }
        // Double(_:) rounds to the nearest value and returns infinity past the range.
        guard let value = Double(String(decoding: scratch, as: UTF8.self)), value.isFinite else {
            throw JSONStreamError(offset: start, reason: "number out of range")
        }
        return value
    }

    /// Consumes the byte at `index`, keeping it in `scratch` when `build` is set.
    private mutating func take(build: Bool) {
        if build {
            scratch.append(chunk[index])
        }
        index += 1
    }

    private mutating func takeDigits(build: Bool) throws(JSONStreamError) {
        while let byte = try peekByte(), JSONByte.isDigit(byte) {
            take(build: build)
        }
    }

    private mutating func takeRequiredDigits(
        build: Bool,
        reason: String
    ) throws(JSONStreamError) {
        guard let byte = try peekByte() else {
            throw unexpectedEnd()
        }
        guard JSONByte.isDigit(byte) else {
            throw invalid(reason)
        }
        try takeDigits(build: build)
    }
}

// MARK: - Literals

extension JSONStreamLexer {
    /// Consumes `literal`, which is `true`, `false` or `null` and is called `name` in errors.
    mutating func consumeLiteral(_ literal: [UInt8], name: String) throws(JSONStreamError) {
        let start = byteOffset
        for expected in literal {
            guard let byte = try peekByte() else {
                throw unexpectedEnd()
            }
            guard byte == expected else {
                throw JSONStreamError(offset: start, reason: "expected '\(name)'")
            }
            index += 1
        }
    }
}

// MARK: - Strings

extension JSONStreamLexer {
    /// Scans a string from the opening quote at the current position through its closing
    /// quote, and returns its value when `build` is set, or the empty string.
    mutating func scanString(build: Bool) throws(JSONStreamError) -> String {
        let quoteOffset = byteOffset
        index += 1
        scratch.removeAll(keepingCapacity: true)
        // A string that lies in one chunk and has no escapes is decoded straight from the chunk.
        var usesScratch = false
        while true {
            if index == chunk.count {
                guard try loadChunk() else {
                    throw JSONStreamError(offset: quoteOffset, reason: "unterminated string")
                }
            }
            let runStart = index
            let runEnd = scanPlainRun()
            switch runEnd {
            case .quote:
                var text = ""
                if build && usesScratch {
                    scratch.append(contentsOf: chunk[runStart..<index])
                    text = String(decoding: scratch, as: UTF8.self)
                } else if build {
                    text = String(decoding: chunk[runStart..<index], as: UTF8.self)
                }
                index += 1
                return text
            case .backslash:
                if build {
                    scratch.append(contentsOf: chunk[runStart..<index])
                }
                usesScratch = true
                try scanEscape(build: build, quoteOffset: quoteOffset)
            case .splitSequence, .chunkEnd:
                if build {
                    scratch.append(contentsOf: chunk[runStart..<index])
                }
                usesScratch = true
                if runEnd == .splitSequence {
                    try scanSplitSequence(build: build, quoteOffset: quoteOffset)
                }
            case .controlCharacter:
                throw invalid("unescaped control character in string")
            case .invalidUTF8:
                throw invalid("invalid UTF-8")
            }
        }
    }

    /// Advances over string bytes that need no decoding and checks that they are valid UTF-8.
    /// It stops at a quote, a backslash, an invalid byte, a sequence that continues in the next
    /// chunk, or the end of the chunk.
    private mutating func scanPlainRun() -> RunEnd {
        let bytes = chunk
        var position = index
        let runEnd = bytes.withUnsafeBufferPointer { buffer -> RunEnd in
            while position < buffer.count {
                let byte = buffer[position]
                if byte == JSONByte.quote { return .quote }
                if byte == JSONByte.backslash { return .backslash }
                if byte < 0x20 { return .controlCharacter }
                if byte < 0x80 {
                    position += 1
                    continue
                }
                let shape = JSONByte.utf8Shape(lead: byte)
                guard shape.length > 0 else { return .invalidUTF8 }
                guard position + shape.length <= buffer.count else { return .splitSequence }
                guard shape.secondBytes.contains(buffer[position + 1]) else { return .invalidUTF8 }
                for offset in 2..<shape.length where buffer[position + offset] & 0xC0 != 0x80 {
                    return .invalidUTF8
                }
                position += shape.length
            }
            return .chunkEnd
        }
        index = position
        return runEnd
    }

    /// Consumes a multi-byte UTF-8 sequence that starts at `index` and continues in the next
    /// chunk.
    private mutating func scanSplitSequence(
        build: Bool,
        quoteOffset: Int
    ) throws(JSONStreamError) {
        let leadOffset = byteOffset
        let shape = JSONByte.utf8Shape(lead: chunk[index])
        take(build: build)
        for position in 1..<shape.length {
            guard let byte = try peekByte() else {
                throw JSONStreamError(offset: quoteOffset, reason: "unterminated string")
            }
            let isValid = position == 1 ? shape.secondBytes.contains(byte) : byte & 0xC0 == 0x80
            guard isValid else {
                throw JSONStreamError(offset: leadOffset, reason: "invalid UTF-8")
            }
            take(build: build)
        }
    }

    /// Consumes an escape sequence that starts with the backslash at `index`, and appends the
    /// character it stands for to `scratch` when `build` is set.
    private mutating func scanEscape(build: Bool, quoteOffset: Int) throws(JSONStreamError) {
        let escapeOffset = byteOffset
        index += 1
        guard let byte = try peekByte() else {
            throw JSONStreamError(offset: quoteOffset, reason: "unterminated string")
        }
        index += 1
        let decoded: UInt8
        switch byte {
        case JSONByte.quote, JSONByte.backslash, JSONByte.slash: decoded = byte
        case JSONByte.lowercaseB: decoded = 0x08
        case JSONByte.lowercaseF: decoded = 0x0C
        case JSONByte.lowercaseN: decoded = 0x0A
        case JSONByte.lowercaseR: decoded = 0x0D
        case JSONByte.lowercaseT: decoded = 0x09
        case JSONByte.lowercaseU:
            let scalar = try unicodeEscapeScalar(
                escapeOffset: escapeOffset,
                quoteOffset: quoteOffset
            )
            if build {
                JSONByte.appendUTF8(scalar, to: &scratch)
            }
            return
        default:
            throw JSONStreamError(offset: escapeOffset, reason: "invalid escape sequence")
        }
        if build {
            scratch.append(decoded)
        }
    }

    /// Reads the four hex digits after `\u`, and for a high surrogate the `\u` escape of the low
    /// surrogate that must follow, and returns the Unicode scalar value.
    private mutating func unicodeEscapeScalar(
        escapeOffset: Int,
        quoteOffset: Int
    ) throws(JSONStreamError) -> UInt32 {
        let unit = try hexQuad(escapeOffset: escapeOffset, quoteOffset: quoteOffset)
        let unpaired = JSONStreamError(offset: escapeOffset, reason: "unpaired UTF-16 surrogate")
        switch unit {
        case 0xD800...0xDBFF:
            let lowEscapeOffset = byteOffset
            for expected in [JSONByte.backslash, JSONByte.lowercaseU] {
                guard let byte = try peekByte() else {
                    throw JSONStreamError(offset: quoteOffset, reason: "unterminated string")
                }
                guard byte == expected else { throw unpaired }
                index += 1
            }
            let low = try hexQuad(escapeOffset: lowEscapeOffset, quoteOffset: quoteOffset)
            guard (0xDC00...0xDFFF).contains(low) else { throw unpaired }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw unpaired
        default:
            return unit
        }
    }

    private mutating func hexQuad(
        escapeOffset: Int,
        quoteOffset: Int
    ) throws(JSONStreamError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try peekByte() else {
                throw JSONStreamError(offset: quoteOffset, reason: "unterminated string")
            }
            guard let digit = JSONByte.hexDigitValue(byte) else {
                throw JSONStreamError(offset: escapeOffset, reason: "invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

// MARK: - Input

extension JSONStreamLexer {
    /// Returns the next byte without consuming it, loading the next chunk when the current one
    /// is used up, or returns `nil` at the end of the input.
    mutating func peekByte() throws(JSONStreamError) -> UInt8? {
        if index < chunk.count {
            return chunk[index]
        }
        return try loadChunk() ? chunk[index] : nil
    }

    /// Skips whitespace and returns the next byte without consuming it, or `nil` at the end of
    /// the input.
    mutating func nextSignificantByte() throws(JSONStreamError) -> UInt8? {
        while true {
            while index < chunk.count {
                let byte = chunk[index]
                guard
                    byte == JSONByte.space || byte == JSONByte.newline
                        || byte == JSONByte.carriageReturn
                        || byte == JSONByte.tab
                else {
                    return byte
                }
                index += 1
            }
            guard try loadChunk() else { return nil }
        }
    }

    /// Replaces the used-up chunk with the next non-empty one.
    ///
    /// - Returns: `false` at the end of the input.
    private mutating func loadChunk() throws(JSONStreamError) -> Bool {
        while !inputEnded {
            chunkOffset += chunk.count
            chunk.removeAll(keepingCapacity: true)
            index = 0
            let data: Data?
            do {
                data = try read()
            } catch {
                throw JSONStreamError(offset: chunkOffset, reason: "\(error)", cause: .readFailed)
            }
            guard let data else {
                inputEnded = true
                return false
            }
            chunk.append(contentsOf: data)
            if !chunk.isEmpty {
                return true
            }
        }
        return false
    }
}
