/// Contour lines of a gridded function by marching squares.
public enum MarchingSquares {
    /// A piece of a contour line, in data coordinates.
    public struct Segment: Sendable, Equatable {
        public var x0, y0, x1, y1: Double
    }

    /// The segments where the function crosses `level`; `z[i][j]` is the value at (x[j], y[i]).
    /// Saddle cells are resolved by the value at the cell's centre.
    public static func segments(x: [Double], y: [Double], z: [[Double]], level: Double) -> [Segment] {
        var result: [Segment] = []
        guard x.count > 1, y.count > 1 else { return result }
        for i in 0..<(y.count - 1) {
            for j in 0..<(x.count - 1) {
                // Corners counter-clockwise from bottom-left: (j,i), (j+1,i), (j+1,i+1), (j,i+1).
                let values = [z[i][j], z[i][j + 1], z[i + 1][j + 1], z[i + 1][j]]
                let xs = [x[j], x[j + 1], x[j + 1], x[j]]
                let ys = [y[i], y[i], y[i + 1], y[i + 1]]
                // Where the level crosses edge e (from corner e to corner e+1).
                func crossing(_ e: Int) -> (Double, Double) {
                    let a = e, b = (e + 1) % 4
                    let t = (level - values[a]) / (values[b] - values[a])
                    return (xs[a] + t * (xs[b] - xs[a]), ys[a] + t * (ys[b] - ys[a]))
                }
                let above = values.map { $0 > level }
                let crossed = (0..<4).filter { above[$0] != above[($0 + 1) % 4] }
                guard !crossed.isEmpty else { continue }
                var pairs: [(Int, Int)]
                if crossed.count == 2 {
                    pairs = [(crossed[0], crossed[1])]
                } else {
                    // Saddle: all four edges crossed. Pair edges around the corners that share the centre's side.
                    let centreAbove = values.reduce(0, +) / 4 > level
                    pairs = above[0] == centreAbove ? [(0, 1), (2, 3)] : [(3, 0), (1, 2)]
                }
                for (e0, e1) in pairs {
                    let p = crossing(e0), q = crossing(e1)
                    result.append(Segment(x0: p.0, y0: p.1, x1: q.0, y1: q.1))
                }
            }
        }
        return result
    }
}
