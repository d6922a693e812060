/// Standard base64 (RFC 4648, with padding), written out for the hot paths that encode a digest
/// on every request (`Content-MD5` on each HEAD and GET, V1 signatures): Foundation's encoder
/// goes through `Data` and costs several allocations for 16 or 20 bytes.
package enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 text of `bytes`.
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        let count = bytes.count
        return String(unsafeUninitializedCapacity: (count + 2) / 3 * 4) { output in
            var written = 0
            var iterator = bytes.makeIterator()
            var remaining = count
            while remaining > 0 {
                let b0 = iterator.next()!
                let b1 = remaining > 1 ? iterator.next()! : 0
                let b2 = remaining > 2 ? iterator.next()! : 0
                output[written] = alphabet[Int(b0 >> 2)]
                output[written + 1] = alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)]
                output[written + 2] = remaining > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "=")
                output[written + 3] = remaining > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "=")
                written += 4
                remaining -= min(remaining, 3)
            }
            return written
        }
    }
}
