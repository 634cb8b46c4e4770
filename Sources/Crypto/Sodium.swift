import CSodium
import Foundation

/// The libsodium calls WabaRouter uses; the only file that touches `CSodium`.
///
/// Every function copies its inputs and outputs into Swift values, so no pointer leaves it.
enum Sodium {
    /// `sodium_init` is idempotent and thread-safe, but must run before any other call.
    private static let initialized: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        precondition(initialized, "sodium_init failed: libsodium cannot be used")
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            randombytes_buf(base, count)
        }
        return bytes
    }

    static let secretBoxKeyBytes = Int(crypto_secretbox_KEYBYTES)
    static let secretBoxNonceBytes = Int(crypto_secretbox_NONCEBYTES)
    static let secretBoxMACBytes = Int(crypto_secretbox_MACBYTES)

    /// XSalsa20-Poly1305 authenticated encryption; returns the MAC followed by the ciphertext.
    static func secretBoxSeal(_ message: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8] {
        ensureInitialized()
        var output = [UInt8](repeating: 0, count: message.count + secretBoxMACBytes)
        let status = crypto_secretbox_easy(&output, message, UInt64(message.count), nonce, key)
        precondition(status == 0, "crypto_secretbox_easy failed with \(status)")
        return output
    }

    /// Returns `nil` when the MAC does not verify: a wrong key or altered data.
    static func secretBoxOpen(_ sealed: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8]? {
        ensureInitialized()
        guard sealed.count >= secretBoxMACBytes else { return nil }
        var output = [UInt8](repeating: 0, count: sealed.count - secretBoxMACBytes)
        let status = crypto_secretbox_open_easy(&output, sealed, UInt64(sealed.count), nonce, key)
        return status == 0 ? output : nil
    }

    /// BLAKE2b with a 32-byte output, keyed when `key` is not empty.
    static func genericHash(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        ensureInitialized()
        let length = Int(crypto_generichash_BYTES)
        var output = [UInt8](repeating: 0, count: length)
        let status = crypto_generichash(
            &output,
            length,
            message,
            UInt64(message.count),
            key.isEmpty ? nil : key,
            key.count
        )
        precondition(status == 0, "crypto_generichash failed with \(status)")
        return output
    }

    /// Incremental BLAKE2b with a 32-byte output, for input that arrives in chunks.
    ///
    /// libsodium's state is an opaque, 64-byte aligned structure whose size only
    /// `crypto_generichash_statebytes()` gives, so it lives in memory this class owns.
    final class GenericHashState {
        private let state: UnsafeMutableRawPointer

        init() {
            ensureInitialized()
            state = UnsafeMutableRawPointer.allocate(
                byteCount: crypto_generichash_statebytes(),
                alignment: 64
            )
            let status = crypto_generichash_init(
                OpaquePointer(state),
                nil,
                0,
                Int(crypto_generichash_BYTES)
            )
            precondition(status == 0, "crypto_generichash_init failed with \(status)")
        }

        deinit {
            state.deallocate()
        }

        func update(_ bytes: [UInt8]) {
            let status = crypto_generichash_update(OpaquePointer(state), bytes, UInt64(bytes.count))
            precondition(status == 0, "crypto_generichash_update failed with \(status)")
        }

        func finish() -> [UInt8] {
            let length = Int(crypto_generichash_BYTES)
            var output = [UInt8](repeating: 0, count: length)
            let status = crypto_generichash_final(OpaquePointer(state), &output, length)
            precondition(status == 0, "crypto_generichash_final failed with \(status)")
            return output
        }
    }

    /// Compares in time that depends only on the length, so a timing probe learns nothing.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        ensureInitialized()
        guard lhs.count == rhs.count else { return false }
        return sodium_memcmp(lhs, rhs, lhs.count) == 0
    }
}
