import Logging

/// The metadata of one log line, as both log formats write it: the handler's own, then its
/// metadata provider's, then the event's, a later source winning for a name, sorted by name.
enum LogFields {
    static func merged(
        _ handler: Logger.Metadata, _ provider: Logger.MetadataProvider?, _ event: Logger.Metadata?
    ) -> [(key: String, value: Logger.MetadataValue)] {
        // Few fields, each name once: an array sorted by name (stable, so the later of equal
        // names comes last) costs less than merging dictionaries.
        var fields = Array(handler)
        if let provided = provider?.get() { fields += provided }
        if let event { fields += event }
        let sorted = fields.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
        var merged: [(key: String, value: Logger.MetadataValue)] = []
        merged.reserveCapacity(sorted.count)
        for field in sorted {
            if merged.last?.key == field.key { merged[merged.count - 1] = field } else { merged.append(field) }
        }
        return merged
    }
}
