public import Foundation

/// Returns a ``SpooledBody`` in chunks, in order, from its first byte.
///
/// Each reader has its own position, and so does each copy of a reader. A reader keeps the
/// body and its file alive until the reader is released.
public struct SpooledBodyReader: Sendable {
    private let body: SpooledBody
    private let file: ReadOnlyFile
    private let chunkSize: Int
    private var offset = 0

    init(body: SpooledBody, file: ReadOnlyFile, chunkSize: Int) {
        self.body = body
        self.file = file
        self.chunkSize = chunkSize
    }

    /// Reads the next chunk of up to the reader's chunk size, or returns `nil` after the last
    /// byte.
    ///
    /// - Throws: ``SpooledBodyError`` when the read fails or the file is shorter than
    ///   ``SpooledBody/byteCount``.
    public mutating func next() throws(SpooledBodyError) -> Data? {
        let remaining = body.byteCount - offset
        guard remaining > 0 else { return nil }
        let chunk = try file.read(count: min(chunkSize, remaining), at: offset)
        offset += chunk.count
        return chunk
    }
}
