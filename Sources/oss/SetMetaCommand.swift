import ArgumentParser
import Foundation
import OSSClient
import OSSProtocol

/// `oss set-meta`: changes an object's user metadata and content headers in place.
///
/// OSS has no call that edits metadata: an object's metadata changes by copying the object onto
/// itself with `x-oss-metadata-directive: REPLACE`. The copy is pinned to the ETag read just
/// before (an object overwritten meanwhile is not clobbered with stale metadata), its CRC-64 is
/// checked against the object's, and its ACL and storage class are carried over.
struct SetMetaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-meta",
        abstract: "Set user metadata and content headers of an object, or of every object under a prefix with --recursive.",
        discussion: """
            By default the given values are added to what the object has (--meta replaces a key's \
            value, --delete-meta removes it); with --replace the object keeps only what is given \
            (except Content-Type, which OSS keeps unless a new one is given). \
            The bytes, and so the CRC-64, are unchanged, which each copy verifies.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("User metadata to set (x-oss-meta-KEY). Repeatable.", valueName: "KEY=VALUE"))
    var meta: [String] = []

    @Option(help: ArgumentHelp("User metadata to remove. Repeatable.", valueName: "KEY"))
    var deleteMeta: [String] = []

    @Option(help: "Content-Type.") var contentType: String?
    @Option(help: "Cache-Control.") var cacheControl: String?
    @Option(help: "Content-Disposition.") var contentDisposition: String?
    @Option(help: "Content-Encoding.") var contentEncoding: String?
    @Option(help: "Content-Language.") var contentLanguage: String?
    @Option(help: "Expires (an HTTP date).") var expires: String?

    @Flag(help: "Keep only the metadata and headers given; drop the object's others (Content-Type stays unless given).")
    var replace = false

    @Flag(name: .shortAndLong, help: "Every object whose key starts with the path's key.")
    var recursive = false

    @Argument(help: ArgumentHelp("oss://bucket/key, or oss://bucket/prefix with --recursive", valueName: "PATH"))
    var path: String

    func validate() throws {
        guard let target = ObjectPath(path) else { throw ValidationError("'\(path)' is not an oss://bucket/key path") }
        if !recursive, target.key.isEmpty { throw ValidationError("'\(path)' names a bucket: add --recursive for every object in it") }
        for pair in meta where parsed(pair) == nil {
            throw ValidationError("--meta \(pair): expected KEY=VALUE with a key of letters, digits and '-', e.g. --meta owner=alice")
        }
        let changes = !meta.isEmpty || !deleteMeta.isEmpty
            || [contentType, cacheControl, contentDisposition, contentEncoding, contentLanguage, expires].contains { $0 != nil }
        if !changes && !replace { throw ValidationError("nothing to change: give --meta, --delete-meta or a content header") }
    }

    func parsed(_ pair: String) -> (String, String)? {
        guard let equals = pair.firstIndex(of: "=") else { return nil }
        let key = pair[..<equals].lowercased()
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return (key, String(pair[pair.index(after: equals)...]))
    }

    /// The write options of the copy: the object's, changed as asked.
    func options(from head: OSSObjectMetadata, acl: OSSObjectACL?) -> OSSObjectWriteOptions {
        var options = OSSObjectWriteOptions()
        if !replace {
            options.contentType = head.contentType
            options.cacheControl = head.cacheControl
            options.contentDisposition = head.contentDisposition
            options.contentEncoding = head.contentEncoding
            options.contentLanguage = head.contentLanguage
            options.expires = head.expires
            options.metadata = head.metadata
        }
        for (key, value) in meta.compactMap(parsed) { options.metadata[key] = value }
        for key in deleteMeta { options.metadata[key.lowercased()] = nil }
        if let contentType { options.contentType = contentType }
        if let cacheControl { options.cacheControl = cacheControl }
        if let contentDisposition { options.contentDisposition = contentDisposition }
        if let contentEncoding { options.contentEncoding = contentEncoding }
        if let contentLanguage { options.contentLanguage = contentLanguage }
        if let expires { options.expires = expires }
        options.storageClass = head.storageClass
        options.acl = acl
        return options
    }

    func run() async throws {
        let target = ObjectPath(path)!
        let changed = try await withClient(connection) { client in
            var keys: [String] = []
            if recursive {
                let request = OSSListObjectsV2Request(bucket: target.bucket, prefix: target.key.isEmpty ? nil : target.key)
                for try await page in client.listObjectsV2Pages(request) { keys += page.contents.map(\.key) }
            } else {
                keys = [target.key]
            }
            for key in keys {
                let head = try await client.headObject(bucket: target.bucket, key: key)
                let acl = try await client.getObjectACL(bucket: target.bucket, key: key)
                let copied = try await client.copyObject(
                    OSSCopyObjectRequest(
                        sourceBucket: target.bucket, sourceKey: key, bucket: target.bucket, key: key,
                        metadataDirective: .replace, options: options(from: head, acl: acl == .default ? nil : acl),
                        conditions: OSSCopySourceConditions(ifMatch: head.etag), sourceCRC64: head.crc64))
                print("updated oss://\(target.bucket)/\(key)  \(copied.crcVerification.summary)")
            }
            return keys.count
        }
        print("\(changed) object\(changed == 1 ? "" : "s") updated")
    }
}
