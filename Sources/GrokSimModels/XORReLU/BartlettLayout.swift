import GrokSimCore

/// The row layout of a Gaussian vector written on the Bartlett basis built so far.
public enum BartlettLayout {
    /// The chi index of initial weight j: after the n training noise vectors.
    public static func weightChiIndex(neuron j: Int, trainCount n: Int) -> UInt64 {
        UInt64(n + j)
    }

    /// Turns a row of i.i.d. N(0, scale^2) draws into a Bartlett row.
    ///
    /// Coordinates below `newCoordinate` keep their normal draws, coordinate `newCoordinate` becomes
    /// scale chi_(ambientDimension - newCoordinate) (the length of the vector's part orthogonal to the
    /// basis so far), and coordinates after it become zero. When `newCoordinate` is past the row, the basis
    /// already spans the space (p is small) and the row stays i.i.d.
    public static func triangularize(_ row: UnsafeMutableBufferPointer<Double>, newCoordinate: Int, ambientDimension: Int,
                                     scale: Double, chiIndex: UInt64, seed: UInt64) {
        guard newCoordinate < row.count else { return }
        let chi = ChiDistribution.sample(degreesOfFreedom: ambientDimension - newCoordinate,
                                         stream: RandomStream(seed: seed, stream: XORStreams.chi), index: chiIndex)
        row[newCoordinate] = scale * chi
        for k in (newCoordinate + 1)..<row.count { row[k] = 0 }
    }
}
