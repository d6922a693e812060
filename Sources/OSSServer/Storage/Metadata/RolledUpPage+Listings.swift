/// The listings of a page, with the markers that resume after it: one rule per listing, for
/// every metadata store.
extension BucketListing {
    init(page: RolledUpPage<BucketRecord>) {
        let nextMarker: String? = switch page.last {
        case .entry(let bucket) where page.isTruncated: bucket.name
        default: nil
        }
        self.init(buckets: page.entries, isTruncated: page.isTruncated, nextMarker: nextMarker)
    }
}

extension ObjectListing {
    init(page: RolledUpPage<ObjectSummary>) {
        let nextMarker: String? = switch page.last {
        case .entry(let object) where page.isTruncated: object.key
        case .commonPrefix(let prefix) where page.isTruncated: prefix
        default: nil
        }
        self.init(
            objects: page.entries, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, nextMarker: nextMarker)
    }
}

extension VersionListing {
    init(page: RolledUpPage<VersionSummary>) {
        self.init(versions: page.entries, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated)
        switch page.last {
        case .entry(let version) where page.isTruncated:
            nextKeyMarker = version.object.key
            nextVersionIDMarker = version.versionID
        case .commonPrefix(let prefix) where page.isTruncated:
            nextKeyMarker = prefix
        default:
            break
        }
    }
}

extension UploadListing {
    init(page: RolledUpPage<MultipartUpload>) {
        self.init(
            uploads: page.entries, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, nextKeyMarker: "",
            nextUploadIDMarker: "")
        switch page.last {
        case .entry(let upload) where page.isTruncated:
            nextKeyMarker = upload.key
            nextUploadIDMarker = upload.uploadID
        case .commonPrefix(let prefix) where page.isTruncated:
            nextKeyMarker = prefix
        default:
            break
        }
    }
}
