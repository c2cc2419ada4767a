import GrokSimTheory
import XCTest

final class SymmetricEigenTests: XCTestCase {
    func testTwoByTwo() throws {
        let eigen = try SymmetricEigen(matrix: [2, 1, 1, 2], order: 2)
        XCTAssertEqual(eigen.values[0], 1, accuracy: 1e-14)
        XCTAssertEqual(eigen.values[1], 3, accuracy: 1e-14)
        let h = 0.5.squareRoot()
        let v0 = eigen.vector(0), v1 = eigen.vector(1)
        XCTAssertEqual(abs(v0[0]), h, accuracy: 1e-14)
        XCTAssertEqual(v0[0] * v0[1], -0.5, accuracy: 1e-14)  // (1, −1)/√2 up to sign
        XCTAssertEqual(v1[0] * v1[1], 0.5, accuracy: 1e-14)   // (1, 1)/√2 up to sign
    }

    /// A = H diag(1, 2, ..., n) H with the Householder reflection H = I − 2uuᵀ/uᵀu (orthogonal and symmetric):
    /// the spectrum is 1..n, eigenvector k is column k of H, and A v = λ v for every returned pair.
    func testKnownSpectrumOfAReflectedDiagonal() throws {
        let n = 60
        let u = (0..<n).map { Double($0 % 7) - 2.5 }
        let uu = u.reduce(0) { $0 + $1 * $1 }
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { h[i * n + j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu } }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = (0..<n).reduce(0) { $0 + h[i * n + $1] * Double($1 + 1) * h[$1 * n + j] } } }
        let eigen = try SymmetricEigen(matrix: a, order: n)
        for k in 0..<n { XCTAssertEqual(eigen.values[k], Double(k + 1), accuracy: 1e-12) }
        for k in 0..<n {
            let v = eigen.vector(k)
            XCTAssertEqual(v.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-12)
            // Eigenvalues are distinct, so v = ± column k of H.
            let overlap = (0..<n).reduce(0) { $0 + v[$1] * h[$1 * n + k] }
            XCTAssertEqual(abs(overlap), 1, accuracy: 1e-12)
            for i in 0..<n {
                let av = (0..<n).reduce(0) { $0 + a[i * n + $1] * v[$1] }
                XCTAssertEqual(av, eigen.values[k] * v[i], accuracy: 1e-11)
            }
        }
        let valuesOnly = try SymmetricEigen(matrix: a, order: n, computeVectors: false)
        XCTAssertTrue(valuesOnly.vectors.isEmpty)
        for k in 0..<n { XCTAssertEqual(valuesOnly.values[k], Double(k + 1), accuracy: 1e-12) }
    }

    func testRejectsAMatrixOfTheWrongSize() {
        XCTAssertThrowsError(try SymmetricEigen(matrix: [1, 2, 3], order: 2))
    }
}
