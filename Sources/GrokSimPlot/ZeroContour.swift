/// The curve where a field on a grid crosses zero, found by marching squares.
///
/// Each grid square whose corners differ in sign gets one or two straight segments between
/// points interpolated linearly along its edges; squares with a corner that is not finite get none.
enum ZeroContour {
    /// A point in data coordinates.
    typealias DataPoint = (x: Double, y: Double)

    /// The contour's segments for the field `value(column, row)` at grid points (`xs[column]`, `ys[row]`).
    ///
    /// Zero counts as positive, so a field that only touches zero has no contour, and one through an exact
    /// zero passes through that grid point.
    static func segments(xs: [Double], ys: [Double], value: (Int, Int) -> Double) -> [(DataPoint, DataPoint)] {
        guard xs.count >= 2, ys.count >= 2 else { return [] }
        var result: [(DataPoint, DataPoint)] = []
        for row in 0..<(ys.count - 1) {
            for column in 0..<(xs.count - 1) {
                // Corners counter-clockwise from (column, row): 0 = (c, r), 1 = (c+1, r), 2 = (c+1, r+1), 3 = (c, r+1).
                let corners: [(Int, Int)] = [(column, row), (column + 1, row), (column + 1, row + 1), (column, row + 1)]
                let z = corners.map { value($0.0, $0.1) }
                guard z.allSatisfy(\.isFinite) else { continue }
                let positive = z.map { $0 >= 0 }
                // Edge k joins corner k to corner k+1; crossing[k] is where it changes sign, if it does.
                var crossing: [DataPoint?] = Array(repeating: nil, count: 4)
                for k in 0..<4 where positive[k] != positive[(k + 1) % 4] {
                    let (a, b) = (corners[k], corners[(k + 1) % 4])
                    let t = z[k] / (z[k] - z[(k + 1) % 4])
                    crossing[k] = (xs[a.0] + t * (xs[b.0] - xs[a.0]), ys[a.1] + t * (ys[b.1] - ys[a.1]))
                }
                let found = crossing.compactMap { $0 }
                if found.count == 2 {
                    result.append((found[0], found[1]))
                } else if found.count == 4 {
                    // A saddle: the mean of the corners decides which diagonal pair is joined through the middle;
                    // each corner of the other sign is cut off on its own by a segment across its two edges.
                    let centre = z.reduce(0, +) / 4 >= 0
                    for k in 0..<4 where positive[k] != centre {
                        result.append((crossing[(k + 3) % 4]!, crossing[k]!))
                    }
                }
            }
        }
        return result
    }
}
