import OSSProtocol

extension OSSConditions {
    /// The condition `object` fails, or `nil` if it passes them all, with the precedence of RFC
    /// 9110 §13.2.2: the ETag conditions first, and a date condition counts only when its ETag
    /// counterpart is absent. ETags compare as ``OSSETag`` says (without quotes,
    /// case-insensitively); dates in whole seconds, as HTTP dates have. The copy paths evaluate
    /// it inside the transaction that copies, so the object copied is the object that passed.
    func failure(for object: ObjectRecord) -> Condition? {
        let modified = object.lastModified.timeIntervalSince1970.rounded(.down)
        if let ifMatch {
            if !OSSETag.header(ifMatch, matches: object.etag) { return .ifMatch }
        } else if let ifUnmodifiedSince, modified > ifUnmodifiedSince.timeIntervalSince1970 {
            return .ifUnmodifiedSince
        }
        if let ifNoneMatch {
            if OSSETag.header(ifNoneMatch, matches: object.etag) { return .ifNoneMatch }
        } else if let ifModifiedSince, modified <= ifModifiedSince.timeIntervalSince1970 {
            return .ifModifiedSince
        }
        return nil
    }
}
