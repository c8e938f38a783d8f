import CCairo
import Foundation

/// The file formats a figure can be written in, all drawn by Cairo from the same code.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, svg, pdf

    /// Parses a comma-separated list such as "png,svg,pdf".
    public static func list(_ text: String) throws -> [ImageFormat] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !names.isEmpty else { throw PlotError.unknownFormat(text) }
        return try names.map { name in
            guard let format = ImageFormat(rawValue: name) else { throw PlotError.unknownFormat(name) }
            return format
        }
    }
}

public enum PlotError: Error, CustomStringConvertible, Equatable {
    case unknownFormat(String)
    case cairo(String)

    public var description: String {
        switch self {
        case let .unknownFormat(name): "unknown figure format '\(name)' (expected png, svg or pdf)"
        case let .cairo(message): "drawing failed: \(message)"
        }
    }
}

enum TextAlignment { case left, center, right }
enum TextBaseline { case top, middle, bottom }

/// A thin layer over a Cairo context: everything in points, y growing downwards.
final class CairoCanvas {
    let context: OpaquePointer
    let surface: OpaquePointer
    private let sink: ByteSink
    private let format: ImageFormat
    private let theme: Theme

    /// Collects what Cairo writes through its stream callbacks.
    final class ByteSink { var bytes: [UInt8] = [] }

    private static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }

    /// A canvas of `width x height` points; PNG pixels are `scale` times that.
    init(width: Double, height: Double, format: ImageFormat, scale: Double, theme: Theme = .light) throws {
        self.format = format
        self.theme = theme
        sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        switch format {
        case .png:
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((width * scale).rounded()), Int32((height * scale).rounded()))
        case .svg:
            surface = cairo_svg_surface_create_for_stream(Self.write, closure, width, height)
        case .pdf:
            surface = cairo_pdf_surface_create_for_stream(Self.write, closure, width, height)
        }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cairo(String(cString: cairo_status_to_string(cairo_surface_status(surface))))
        }
        context = cairo_create(surface)
        if format == .png { cairo_scale(context, scale, scale) }
        cairo_set_antialias(context, CAIRO_ANTIALIAS_BEST)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        setColor(.white)
        cairo_paint(context)
    }

    /// Finishes drawing and returns the encoded file.
    func finish() throws -> [UInt8] {
        cairo_destroy(context)
        defer { cairo_surface_destroy(surface) }
        if format == .png {
            cairo_surface_flush(surface)
            let status = cairo_surface_write_to_png_stream(surface, Self.write, Unmanaged.passUnretained(sink).toOpaque())
            guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.cairo(String(cString: cairo_status_to_string(status))) }
        } else {
            cairo_surface_finish(surface)
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.cairo(String(cString: cairo_status_to_string(status))) }
        return sink.bytes
    }

    /// The pixels drawn so far (PNG canvases only).
    func bitmap() -> Bitmap {
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var pixels = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { pixels[y * width + x] = row[x] }
        }
        return Bitmap(width: width, height: height, pixels: pixels)
    }

    // MARK: State

    /// Every colour drawn passes through the theme (see `Theme.ink`).
    func setColor(_ color: Color) {
        let c = theme.ink(color)
        cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha)
    }

    func setLine(width: Double, style: LineStyle = .solid) {
        cairo_set_line_width(context, width)
        switch style {
        case .solid:
            cairo_set_dash(context, nil, 0, 0)
            cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        case .dashed:
            let dashes = [5.5 * width / 1.6 + 2, 3.5]
            cairo_set_dash(context, dashes, 2, 0)
            cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        case .dotted:
            // Round caps on zero-length dashes: dots one line width across.
            let dashes = [0, 2.2 * width + 1.5]
            cairo_set_dash(context, dashes, 2, 0)
            cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        case .dashDotted:
            // Long dashes with a dot between: far from the dashed style at a glance.
            let dashes = [10 * width / 1.6 + 2, 2.6 * width + 1, 0, 2.6 * width + 1]
            cairo_set_dash(context, dashes, 4, 0)
            cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        }
    }

    func save() { cairo_save(context) }
    func restore() { cairo_restore(context) }

    func clip(_ r: Rect) {
        cairo_rectangle(context, r.x, r.y, r.width, r.height)
        cairo_clip(context)
    }

    // MARK: Shapes

    func strokeLine(from a: Point, to b: Point) {
        cairo_move_to(context, a.x, a.y)
        cairo_line_to(context, b.x, b.y)
        cairo_stroke(context)
    }

    /// A polyline; nil points break it into pieces.
    func strokePolyline(_ points: [Point?]) {
        var drawing = false
        for point in points {
            if let p = point {
                if drawing { cairo_line_to(context, p.x, p.y) } else { cairo_move_to(context, p.x, p.y) }
                drawing = true
            } else {
                drawing = false
            }
        }
        cairo_stroke(context)
    }

    func fillPolygon(_ points: [Point]) {
        guard let first = points.first else { return }
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_close_path(context)
        cairo_fill(context)
    }

    func fillRect(_ r: Rect) {
        cairo_rectangle(context, r.x, r.y, r.width, r.height)
        cairo_fill(context)
    }

    func strokeRect(_ r: Rect) {
        cairo_rectangle(context, r.x, r.y, r.width, r.height)
        cairo_stroke(context)
    }

    func marker(_ shape: MarkerShape, at p: Point, size: Double, color: Color) {
        setColor(color)
        let r = size / 2
        switch shape {
        case .circle:
            cairo_new_sub_path(context)
            cairo_arc(context, p.x, p.y, r, 0, 2 * .pi)
            cairo_fill(context)
        case .square:
            fillRect(Rect(x: p.x - r * 0.9, y: p.y - r * 0.9, width: r * 1.8, height: r * 1.8))
        case .plus:
            setLine(width: max(size / 4, 1.2))
            strokeLine(from: Point(x: p.x - r, y: p.y), to: Point(x: p.x + r, y: p.y))
            strokeLine(from: Point(x: p.x, y: p.y - r), to: Point(x: p.x, y: p.y + r))
        case .cross:
            setLine(width: max(size / 4, 1.2))
            strokeLine(from: Point(x: p.x - r * 0.8, y: p.y - r * 0.8), to: Point(x: p.x + r * 0.8, y: p.y + r * 0.8))
            strokeLine(from: Point(x: p.x - r * 0.8, y: p.y + r * 0.8), to: Point(x: p.x + r * 0.8, y: p.y - r * 0.8))
        case .triangle:
            fillPolygon([Point(x: p.x, y: p.y - r * 1.1), Point(x: p.x + r, y: p.y + r * 0.75), Point(x: p.x - r, y: p.y + r * 0.75)])
        case .diamond:
            fillPolygon([Point(x: p.x, y: p.y - r * 1.15), Point(x: p.x + r, y: p.y), Point(x: p.x, y: p.y + r * 1.15), Point(x: p.x - r, y: p.y)])
        }
    }

    // MARK: Text

    /// The smallest font size any text was drawn in so far (infinity before the first).
    private(set) var smallestFontSize = Double.infinity
    private var fontSize = 10.0

    func font(size: Double, bold: Bool = false) {
        fontSize = size
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    func textWidth(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Draws `text` anchored at `p`; `angle` in radians (−π/2 for a y-axis label).
    func text(_ text: String, at p: Point, align: TextAlignment = .left, baseline: TextBaseline = .bottom,
              color: Color = .text, angle: Double = 0) {
        smallestFontSize = min(smallestFontSize, fontSize)
        var fontExtents = cairo_font_extents_t()
        cairo_font_extents(context, &fontExtents)
        let width = textWidth(text)
        let dx: Double = switch align { case .left: 0; case .center: -width / 2; case .right: -width }
        let dy: Double = switch baseline {
        case .top: fontExtents.ascent
        case .middle: (fontExtents.ascent - fontExtents.descent) / 2
        case .bottom: 0
        }
        save()
        cairo_translate(context, p.x, p.y)
        cairo_rotate(context, angle)
        setColor(color)
        cairo_move_to(context, dx, dy)
        cairo_show_text(context, text)
        restore()
    }
}

struct Point: Equatable { var x, y: Double }

struct Rect: Equatable {
    var x, y, width, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    func contains(_ p: Point) -> Bool { p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY }
    func insetBy(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

/// Rendered pixels: premultiplied ARGB, row by row from the top.
public struct Bitmap: Sendable {
    public let width: Int
    public let height: Int
    let pixels: [UInt32]

    /// The colour at pixel (x, y), components in 0...255.
    public func rgb(x: Int, y: Int) -> (red: Int, green: Int, blue: Int) {
        let p = pixels[y * width + x]
        return (Int((p >> 16) & 0xFF), Int((p >> 8) & 0xFF), Int(p & 0xFF))
    }

    /// How dark a pixel is: 0 for white, 255 for black.
    public func darkness(x: Int, y: Int) -> Int {
        let c = rgb(x: x, y: y)
        return 255 - (c.red + c.green + c.blue) / 3
    }
}
