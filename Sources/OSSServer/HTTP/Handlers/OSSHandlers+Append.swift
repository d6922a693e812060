import HTTPTypes
import Hummingbird
import OSSProtocol

/// AppendObject (§3.5): `POST /bkt/key?append&position=N`, and SealAppendObject:
/// `POST /bkt/key?seal&position=N`.
extension OSSHandlers {
    /// Appends the body at `position`, which must be the object's length (0 creates the object).
    ///
    /// Success carries `x-oss-next-append-position` and the CRC-64 of the whole object after the
    /// append. A wrong position is 409 `PositionNotEqualToLength` with the current length and,
    /// better than OSS (§6.4), the current CRC-64; a Normal, Multipart or Symlink object is 409
    /// `ObjectNotAppendable`. A client's `x-oss-hash-crc64ecma` is the whole-object CRC it expects.
    func appendObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let position = try Self.position(call, of: "AppendObject")
        let object = try await storage.appendObject(
            bucket: bucket, key: key, position: position, body: call.request.body,
            attributes: try await newObjectAttributes(call.oss, bucket: bucket), expectations: try Self.writeExpectations(call))
        var headers = Self.versionHeaders(object)
        headers[.eTag] = object.etag
        headers[.ossCRC64] = String(object.crc64)
        headers[.ossNextAppendPosition] = String(object.size)
        return Self.empty(.ok, headers: headers)
    }

    /// Seals the Appendable object whose length is `position`: it takes no more appends (409
    /// `AppendSealedObjectNotAllowed`). The answer, and every later HEAD and GET, carries
    /// `x-oss-sealed-time`, the time of the first seal.
    func sealAppendObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let position = try Self.position(call, of: "SealAppendObject")
        let object = try await storage.sealAppendObject(bucket: bucket, key: key, position: position)
        var headers = HTTPFields()
        headers[.eTag] = object.etag
        headers[.ossCRC64] = String(object.crc64)
        if let sealed = object.sealedTime { headers[.ossSealedTime] = OSSDateFormat.httpDate(sealed) }
        return Self.empty(.ok, headers: headers)
    }

    /// `position`: a non-negative integer.
    private static func position(_ call: OSSCall, of operation: String) throws(OSSError) -> Int {
        let text = call.query("position") ?? ""
        guard let position = Int(text), position >= 0 else {
            throw OSSError.invalidArgument(
                "\(operation) needs position, a non-negative integer.", name: "position", value: text)
        }
        return position
    }
}
