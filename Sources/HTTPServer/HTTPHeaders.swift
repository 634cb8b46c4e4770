/// An ordered list of HTTP header fields whose names compare case-insensitively.
///
/// Fields keep their arrival order and their spelling, and a name may occur more than once.
/// Lookups ignore ASCII case, as RFC 9110 section 5.1 requires for field names.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field, as sent or to be sent.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// Creates an empty header list.
    public init() {
        self.fields = []
    }

    /// Creates a header list with `pairs` of name and value, in order.
    public init(_ pairs: [(String, String)]) {
        self.fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Creates a header list from a dictionary literal, in the order written.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the field called `name`, or `nil` when there is none.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Returns every value of the field called `name`, in arrival order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Appends a field, keeping any fields of the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Sets the field called `name` to `value` alone.
    ///
    /// The first field of that name keeps its position and takes the new name and value, and
    /// any later fields of that name are removed. Without one, the field is appended.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let first = fields.firstIndex(where: { Self.namesMatch($0.name, name) }) else {
            add(name: name, value: value)
            return
        }
        fields[first] = (name: name, value: value)
        var index = fields.index(after: first)
        while index < fields.endIndex {
            if Self.namesMatch(fields[index].name, name) {
                fields.remove(at: index)
            } else {
                index = fields.index(after: index)
            }
        }
    }

    /// Returns an iterator over the fields in arrival order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Compares two field names, ignoring ASCII case only, because field names are ASCII tokens.
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8) { asciiLowercase($0) == asciiLowercase($1) }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
