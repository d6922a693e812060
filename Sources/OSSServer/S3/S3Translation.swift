import OSSProtocol

/// An S3 request as the shared operations read it.
enum S3Translation {
    /// `request` with every `x-amz-*` header that has an OSS twin added under the OSS name
    /// (values translated where the vocabularies differ: storage classes, canned ACLs), and the
    /// framing of an aws-chunked body removed: `Content-Length` becomes the decoded length and
    /// `aws-chunked` leaves `Content-Encoding`, so neither is stored with the object.
    static func ossRequest(from request: OSSRequest, decodedLength: Int?) -> OSSRequest {
        var translated = request
        var headers: [(name: String, value: String)] = []
        for field in request.headers {
            let lower = field.name.lowercased()
            if lower == "content-encoding" {
                let codings = field.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { $0.lowercased() != "aws-chunked" && !$0.isEmpty }
                if !codings.isEmpty { headers.append((field.name, codings.joined(separator: ","))) }
                continue
            }
            if lower == "content-length", decodedLength != nil { continue }
            headers.append(field)
            guard let ossName = S3HeaderMapping.ossName(forRequestHeader: lower) else { continue }
            switch ossName {
            case OSSHeader.storageClass:
                headers.append((ossName, S3HeaderMapping.ossStorageClass(field.value)?.rawValue ?? field.value))
            case OSSHeader.objectACL:
                // One header for both: the operation reads the one it needs.
                headers.append((ossName, cannedACL(field.value)))
                headers.append((OSSHeader.bucketACL, cannedACL(field.value) == "default" ? "private" : field.value))
            default:
                headers.append((ossName, field.value))
            }
        }
        if let decodedLength { headers.append(("content-length", String(decodedLength))) }
        translated.headers = headers
        // Checked already; like `x-id` (botocore names the operation there) they select nothing.
        translated.query.removeAll { $0.name.hasPrefix("X-Amz-") || $0.name == "x-id" }
        return translated
    }

    /// S3's canned ACLs by OSS's names: the bucket-owner ones mean the default (the bucket's
    /// ACL, and here the bucket's owner owns every object in it).
    static func cannedACL(_ value: String) -> String {
        switch value {
        case "bucket-owner-full-control", "bucket-owner-read": "default"
        default: value
        }
    }
}
