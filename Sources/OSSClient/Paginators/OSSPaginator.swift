/// The pages of a list operation as an async sequence: each iteration step sends one request,
/// and iteration ends after the page that is not truncated.
///
/// Pages are fetched lazily, so breaking out of a `for try await` loop stops the listing, and
/// cancelling the task stops it too. Each page request is retried like any other request.
public struct OSSPaginator<Page: Sendable>: AsyncSequence, Sendable {
    /// One response document per element.
    public typealias Element = Page

    /// Fetches the page after a token (`nil` for the first); returns it with the next token,
    /// `nil` when it was the last.
    let fetch: @Sendable (PageToken?) async throws -> (Page, PageToken?)

    /// Starts a new walk from the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch)
    }

    /// Walks the pages in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: @Sendable (PageToken?) async throws -> (Page, PageToken?)
        var token: PageToken?
        var finished = false

        /// The next page, or `nil` after the last one.
        public mutating func next() async throws -> Page? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            let (page, nextToken) = try await fetch(token)
            token = nextToken
            finished = nextToken == nil
            return page
        }
    }
}

/// Where the next page starts, for each kind of listing.
enum PageToken: Sendable, Hashable {
    /// ListBuckets and ListObjects V1 (`marker`), ListObjects V2 (`continuation-token`).
    case marker(String)
    /// A key marker with the id that continues after it: ListMultipartUploads (`key-marker`,
    /// `upload-id-marker`) and ListObjectVersions (`key-marker`, `version-id-marker`).
    case keyAndID(key: String, id: String)
    /// ListParts (`part-number-marker`).
    case part(Int)
}
