import NIOCore
import OSSProtocol

extension ObjectStorage {
    /// InitiateMultipartUpload: a new upload whose `attributes` the object gets at Complete.
    /// Throws `noSuchBucket`, or `invalidArgument` for tags; with `forbidOverwrite`
    /// (`x-oss-forbid-overwrite: true`) `fileAlreadyExists` when the key exists, as OSS checks it
    /// here as well as at Complete.
    func initiateMultipartUpload(
        bucket: String, key: String, attributes: ObjectAttributes = ObjectAttributes(), forbidOverwrite: Bool = false,
        checksum: ObjectChecksums.Requested? = nil
    ) async throws(StorageError) -> MultipartUpload {
        try ObjectTags.validate(attributes.tags)
        let upload = MultipartUpload(
            bucket: bucket, key: key, uploadID: Self.newUploadID(), initiated: Self.now(), attributes: attributes,
            checksum: checksum)
        try await metadata.createUpload(upload, forbidOverwrite: forbidOverwrite)
        return upload
    }

    /// UploadPart: stores `body` as part `partNumber`, replacing an earlier part of that number
    /// atomically. Checks `expectations` like ``putObject(bucket:key:body:attributes:expectations:forbidOverwrite:)``.
    /// Throws `StorageError` (`noSuchUpload`, `invalidArgument` for a part number out of range, and
    /// the body checks) or the error `body` threw; in every case the upload is unchanged.
    func uploadPart<Body: AsyncSequence>(
        bucket: String, key: String, uploadID: String, partNumber: Int, body: Body,
        expectations: WriteExpectations = .none
    ) async throws -> PartRecord where Body.Element == ByteBuffer {
        guard (1...configuration.maxPartNumber).contains(partNumber) else {
            throw StorageError.invalidArgument(
                "part number \(partNumber) is outside 1...\(configuration.maxPartNumber)")
        }
        let upload = try await metadata.upload(bucket: bucket, key: key, uploadID: uploadID)
        // The checksum the upload asked for is computed here too, so that a part the client sent
        // without one (or copied from an object) still has it at Complete; a part that declared
        // it was verified as it streamed, and is not hashed twice.
        let wanted = upload.checksum?.algorithm
        let declaredAlgorithm = expectations.declaredChecksum?.algorithm
        if let wanted, let declaredAlgorithm, declaredAlgorithm != wanted {
            throw StorageError.invalidArgument(
                "the part's checksum is \(declaredAlgorithm.rawValue) but the upload was created with \(wanted.rawValue)")
        }
        let computing = wanted == .crc64nvme || wanted == declaredAlgorithm ? nil : wanted
        let staged = try await stager.stage(body, expecting: expectations, computing: computing)
        var checksums = ObjectChecksums.received(crc64nvme: staged.crc64nvme, declared: expectations.declaredChecksum)
        if let computing, let digest = staged.computed {
            checksums.requested = ObjectChecksums.Requested(algorithm: computing, value: computing.headerValue(digest: digest))
        }
        let part = PartRecord(
            partNumber: partNumber, size: staged.size, etag: staged.etag, crc64: staged.crc64,
            lastModified: Self.now(), blob: staged.blob, blocks: staged.blocks, checksums: checksums
        )
        let metadata = self.metadata
        return try await commit(staged) { () throws(StorageError) in
            (part, try await metadata.putPart(part, bucket: bucket, key: key, uploadID: uploadID))
        }
    }

    /// UploadPartCopy: part `partNumber` made of `range` of `source` (the whole object when `nil`).
    ///
    /// The bytes stream from the source's blobs into a new part blob in bounded chunks, with
    /// CRC-64 and MD5 computed on the way; every source block the range touches is verified
    /// against its CRC-64 before its bytes are taken, so bit rot is never copied into a part
    /// whose fresh CRC would then match it. Open the source with
    /// ``openObject(bucket:key:)`` (and check the copy-source conditions on its record) first.
    func uploadPartCopy(
        bucket: String, key: String, uploadID: String, partNumber: Int, source: OpenedObject, range: Range<Int>? = nil
    ) async throws -> PartRecord {
        try await uploadPart(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, body: try source.body(range: range))
    }

    /// CompleteMultipartUpload: the object made of the selected parts, in place of any object at
    /// `key`. Copies no bytes; parts not selected are deleted, and the upload id is dead afterwards.
    ///
    /// Throws `noSuchUpload`, `invalidPartOrder`, `invalidPart`, `entityTooSmall`,
    /// `fileAlreadyExists` (with `forbidOverwrite`) or `invalidArgument` (no parts); then nothing changed.
    func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: PartSelection, objectACL: OSSObjectACL? = nil,
        forbidOverwrite: Bool = false, expectedChecksum: ObjectChecksums.Requested? = nil
    ) async throws(StorageError) -> ObjectRecord {
        let assembly = MultipartAssembly(
            selection: parts, minimumPartSize: configuration.minimumPartSize, objectACL: objectACL, completed: Self.now(),
            expectedChecksum: expectedChecksum)
        let (object, released) = try await metadata.completeUpload(
            bucket: bucket, key: key, uploadID: uploadID, forbidOverwrite: forbidOverwrite, assemble: assembly.assemble)
        await leases.retire(released)
        return object
    }

    /// AbortMultipartUpload: deletes the upload and its parts. Throws `noSuchUpload`.
    func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws(StorageError) {
        let metadata = self.metadata
        try await freeingSpace { () throws(StorageError) in
            try await metadata.abortUpload(bucket: bucket, key: key, uploadID: uploadID)
        }
    }

    /// ListParts, with each part's CRC-64. Throws `noSuchUpload`.
    func listParts(bucket: String, key: String, uploadID: String, query: PartListQuery = PartListQuery())
        async throws(StorageError) -> PartListing
    {
        try await metadata.listParts(bucket: bucket, key: key, uploadID: uploadID, query: query)
    }

    /// ListMultipartUploads, ordered by key then initiation time. Throws `noSuchBucket`.
    func listMultipartUploads(bucket: String, query: UploadListQuery = UploadListQuery()) async throws(StorageError)
        -> UploadListing
    {
        try await metadata.listUploads(bucket: bucket, query: query)
    }

    /// 32 upper-case hexadecimal characters: unreserved, so no URL encoding is ever needed (§3.4).
    private static func newUploadID() -> String {
        BlobID.random().rawValue.uppercased()
    }
}
