/// Why a report could not be made; each description is one line.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case missingExcerpt(file: String, marker: String)
    case unreadableSource(String)

    public var description: String {
        switch self {
        case let .missingExcerpt(file, marker): "\(file) has no '// BEGIN \(marker)' ... '// END \(marker)' excerpt"
        case let .unreadableSource(file): "cannot read source file \(file)"
        }
    }
}
