/// One result row, with its values in the server's text format.
public struct PostgresRow: Sendable {
    private let layout: ColumnLayout
    private let values: [String?]

    init(layout: ColumnLayout, values: [String?]) {
        self.layout = layout
        self.values = values
    }

    /// Column names in result order. A name may repeat, as in a join of two `id` columns.
    public var columnNames: [String] {
        layout.names
    }

    /// Decodes a non-NULL column value.
    ///
    /// When several columns have the name, the first one is read.
    ///
    /// - Throws: ``PostgresError`` with `.decodingFailed` when the column is missing, is NULL, or
    ///   its text is not a valid `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as: T.Type = T.self) throws -> T {
        guard let value = try decode(column, as: T?.self) else {
            throw PostgresError.decoding(
                "column \"\(column)\" is NULL; decode it as \(T.self)? to accept NULL"
            )
        }
        return value
    }

    /// Decodes a column value, returning nil for SQL NULL.
    ///
    /// - Throws: ``PostgresError`` with `.decodingFailed` when the column is missing or its text
    ///   is not a valid `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as: T?.Type) throws -> T? {
        guard let index = layout.index(of: column) else {
            throw PostgresError.decoding(
                "column \"\(column)\" is not in the result; its columns are "
                    + layout.names.joined(separator: ", ")
            )
        }
        guard let text = values[index] else {
            return nil
        }
        do {
            return try T(postgresText: text)
        } catch let error as PostgresError {
            throw PostgresError.decoding("column \"\(column)\" as \(T.self): \(error.message)")
        }
    }

    /// Returns whether the column's value is SQL NULL. A column the result does not have also
    /// returns true.
    public func isNull(_ column: String) -> Bool {
        guard let index = layout.index(of: column) else { return true }
        return values[index] == nil
    }
}

/// Column names of one result, shared by all of its rows.
final class ColumnLayout: Sendable {
    let names: [String]
    private let indexByName: [String: Int]

    init(names: [String]) {
        self.names = names
        var indexByName: [String: Int] = [:]
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }

    func index(of name: String) -> Int? {
        indexByName[name]
    }
}
