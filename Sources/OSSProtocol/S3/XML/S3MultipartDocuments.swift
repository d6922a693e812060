import Foundation

/// CompleteMultipartUpload's body in S3's form: each part's number and ETag, and the checksum
/// the client computed for it (`ChecksumCRC32` …), which must be the one stored.
package struct S3CompleteMultipartUpload: Sendable {
    package struct Part: Sendable, Hashable {
        package var partNumber: Int
        package var etag: String
        /// The part's checksum as listed: the algorithm and its header value.
        package var checksum: (algorithm: S3ChecksumAlgorithm, value: String)?

        package static func == (lhs: Part, rhs: Part) -> Bool {
            lhs.partNumber == rhs.partNumber && lhs.etag == rhs.etag && lhs.checksum?.algorithm == rhs.checksum?.algorithm
                && lhs.checksum?.value == rhs.checksum?.value
        }

        package func hash(into hasher: inout Hasher) {
            hasher.combine(partNumber)
            hasher.combine(etag)
        }
    }

    package var parts: [Part]

    /// - Throws: `MalformedXML` for another root, a part without a number or ETag.
    package init(parsing body: some DataProtocol) throws(OSSError) {
        let root = try XMLNode.parse(body, root: "CompleteMultipartUpload")
        var parts: [Part] = []
        for node in root.children("Part") {
            guard let number = node.text("PartNumber").flatMap({ Int($0) }), let etag = node.text("ETag") else {
                throw .malformedXML("Every Part needs a PartNumber and an ETag.")
            }
            let checksum = S3ChecksumAlgorithm.allCases.lazy.compactMap { algorithm in
                node.text("Checksum" + algorithm.rawValue).map { (algorithm: algorithm, value: $0) }
            }.first
            parts.append(Part(partNumber: number, etag: etag, checksum: checksum))
        }
        guard !parts.isEmpty else { throw .malformedXML("The CompleteMultipartUpload document lists no parts.") }
        self.parts = parts
    }
}

/// CompleteMultipartUpload's answer in S3's form, with the object's checksum.
package struct S3CompleteMultipartUploadResult: OSSXMLDocument {
    package var location: String
    package var bucket: String
    package var key: String
    package var etag: String
    package var checksum: (algorithm: S3ChecksumAlgorithm, value: String, type: S3ChecksumType)?

    package init(
        location: String, bucket: String, key: String, etag: String,
        checksum: (algorithm: S3ChecksumAlgorithm, value: String, type: S3ChecksumType)?
    ) {
        self.location = location
        self.bucket = bucket
        self.key = key
        self.etag = etag
        self.checksum = checksum
    }

    package var xml: String {
        var writer = OSSXMLWriter()
        writer.element("CompleteMultipartUploadResult") { writer in
            writer.element("Location", location)
            writer.element("Bucket", bucket)
            writer.element("Key", key)
            writer.element("ETag", etag)
            if let checksum {
                writer.element("Checksum" + checksum.algorithm.rawValue, checksum.value)
                writer.element("ChecksumType", checksum.type.rawValue)
            }
        }
        return writer.output
    }
}
