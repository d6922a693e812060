import Foundation
import HTTPTypes
import Hummingbird
import OSSProtocol

extension OSSHandlers {
    func putObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        for condition in ["If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"]
        where call.header(condition) != nil {
            throw OSSError.notImplemented(header: condition)
        }
        let expectations = try Self.writeExpectations(call)
        let record = try await storage.putObject(
            bucket: bucket, key: key, body: call.request.body, attributes: try await newObjectAttributes(call.oss, bucket: bucket),
            expectations: expectations, forbidOverwrite: Self.forbidsOverwrite(call.oss))
        return Self.empty(.ok, headers: Self.writeHeaders(record))
    }

    func getObject(_ call: OSSCall, bucket: String, key: String, headOnly: Bool) async throws -> Response {
        let storage = self.storage
        let versionID = Self.versionID(call)
        // HEAD reads no bytes: one metadata read, nothing pinned.
        let opening = {
            try await storage.openObject(bucket: bucket, key: key, versionID: versionID, readingBytes: !headOnly)
        }
        let opened = try await authorizeRead(Requester(call), of: opening, bucket: bucket, key: key, versionID: versionID)
        let record = opened.record
        if let failed = OSSConditions(.request, from: call.header).failure(for: record) {
            throw OSSError.conditionFailed(failed, in: .request)
        }
        // HEAD describes an archived object; only its bytes wait for a restore.
        if !headOnly, !record.isReadable(at: Date()) { throw OSSError.invalidObjectState() }
        var headers = Self.objectHeaders(record, through: opened.symlink)
        headers[.acceptRanges] = "bytes"
        if call.s3 != nil, call.header("range") == nil { Self.addS3Checksums(of: record, to: &headers, call) }
        try Self.applyOverrides(call, to: &headers)

        var status = HTTPResponse.Status.ok
        var range: Range<Int>?
        let behavior = OSSRangeBehavior(header: call.header(OSSHeader.rangeBehavior))
        if let resolved = try OSSByteRange.resolve(
            header: call.header("range"), objectSize: Int64(record.size), behavior: behavior)
        {
            range = Int(resolved.first)..<Int(resolved.last + 1)
            status = .partialContent
            headers[.contentRange] = resolved.contentRange(objectSize: Int64(record.size))
        }
        let length = range?.count ?? record.size
        headers[.contentLength] = String(length)
        // A ranged GET still carries the whole object's CRC, as OSS does.
        guard !headOnly, length > 0 else { return Response(status: status, headers: headers) }

        // The first chunk is read and verified before the status line goes out, so a damaged
        // block there (all of a small object) is an error answer, not a cut connection.
        var chunks = try opened.body(range: range, verify: true).makeAsyncIterator()
        let first = try await chunks.next()
        let logger = call.context.logger
        let responseBody = ResponseBody(contentLength: length) { [chunks] writer in
            var chunks = chunks
            do {
                if let first { try await writer.write(first) }
                while let chunk = try await chunks.next() { try await writer.write(chunk) }
                try await writer.finish(nil)
            } catch {
                // Never end a response cleanly with bytes that failed their CRC: the connection
                // is dropped, so the client sees a short body and its own check fails.
                logger.error("aborting GET \(bucket)/\(key) after its headers: \(error)")
                throw error
            }
        }
        return Response(status: status, headers: headers, body: responseBody)
    }

    func objectMeta(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let record = try await storage.objectInfo(bucket: bucket, key: key, versionID: Self.versionID(call))
        var headers = Self.versionHeaders(record)
        headers[.eTag] = record.etag
        headers[.contentLength] = String(record.size)
        headers[.lastModified] = OSSDateFormat.httpDate(record.lastModified)
        headers[.ossCRC64] = String(record.crc64)
        // No x-oss-last-access-time: OSS sends it only for buckets with access tracking on, which
        // this server does not offer.
        return Response(status: .ok, headers: headers)
    }

    func deleteObject(_ call: OSSCall, bucket: String, key: String) async throws -> Response {
        let outcome = try await storage.deleteObject(bucket: bucket, key: key, versionID: Self.versionID(call))
        var headers = HTTPFields()
        if let versionID = outcome.versionID { headers[.ossVersionID] = versionID }
        // Only ever `true`: oss2 reads any value of the header as true.
        if outcome.deleteMarker { headers[.ossDeleteMarker] = "true" }
        return Self.empty(.noContent, headers: headers)
    }

    func deleteMultipleObjects(_ call: OSSCall, bucket: String) async throws -> Response {
        let request = try OSSDeleteRequest(parsing: try await Self.smallBody(call, limit: 2 << 20, zeroPaddedDigest: true))
        let deletions = request.objects.map { ObjectDeletion(key: $0.key, versionID: Self.versionID($0.versionID)) }
        for deletion in deletions { try OSSNames.validateObjectKey(deletion.key) }
        // Each object is a DeleteObject: the policy or the object's own ACL must allow it.
        let requester = Requester(call)
        for deletion in deletions {
            try await authorize(
                requester, .write, OSSOperation.deleteObject.policyAction(versioned: deletion.versionID != nil),
                bucket: bucket, key: deletion.key, versionID: deletion.versionID)
        }
        let outcomes = try await storage.deleteObjects(bucket: bucket, deletions)
        // Missing keys and versions are reported as deleted too: deletion is idempotent.
        let deleted = request.quiet ? [] : zip(deletions, outcomes).map { deletion, outcome in
            OSSDeleteResult.Deleted(
                key: deletion.key, versionID: deletion.versionID, deleteMarker: outcome.deleteMarker,
                deleteMarkerVersionID: outcome.deleteMarker ? outcome.versionID : nil)
        }
        return Self.xmlResponse(OSSDeleteResult(encodingType: call.encodingType, deleted: deleted))
    }
}
