import Foundation
import GrokSimCore
import GrokSimTheory

/// The exact GD trajectory of the teacher-student model on its sampled training set, from the eigendecomposition of
/// Σ_train = XᵀX/N, at any step without iterating.
///
/// GD with weight decay w is S_{t+1} = (I − ηA)S_t + ηB with A = (2/d_out)Σ_train + wI and B = (2/(N d_out))XᵀY.
/// In the eigenbasis of Σ_train (eigenvalue ν, a = 2ν/d_out + w) each coefficient is
/// c_t = r c_0 + ((1 − r)/a) b, r = (1 − ηa)^t; (1 − r)/a → ηt as a → 0, computed by expm1/log1p so the null
/// space of Σ_train (λ > 1) stays exact. With noise-free labels B = AT − wT, so this is the paper's D_t recursion.
public struct TeacherStudentOracle {
    public let inputs: Int
    public let outputs: Int
    public let learningRate: Double
    public let weightDecay: Double
    public let eigen: SymmetricEigen
    /// Vᵀ S₀ and Vᵀ B, row k for eigenvector k (d_in × d_out row-major).
    let initialCoefficients: [Double]
    let drivingCoefficients: [Double]

    public init(_ config: ExperimentConfig) throws {
        typealias Keys = TeacherStudentModel.Keys
        let d = config.integer(Keys.inputs), c = config.integer(Keys.outputs), n = config.integer(Keys.samples), seed = config.seed
        inputs = d
        outputs = c
        learningRate = config.number(Keys.learningRate)
        weightDecay = config.number(DynamicsKeys.weightDecay)
        let x = TeacherStudentData.inputs(.train, count: n, inputs: d, seed: seed)
        let teacher = TeacherStudentData.teacher(inputs: d, outputs: c, seed: seed)
        let y = TeacherStudentData.targets(.train, count: n, inputs: d, outputs: c, teacher: teacher,
                                           noise: config.number(Keys.labelNoise), seed: seed)
        var covariance = [Double](repeating: 0, count: d * d)
        Double.gemm(transposeA: true, transposeB: false, rows: d, columns: d, inner: n, alpha: 1 / Double(n),
                    a: x, lda: d, b: x, ldb: d, beta: 0, c: &covariance, ldc: d)
        var driving = [Double](repeating: 0, count: d * c)
        Double.gemm(transposeA: true, transposeB: false, rows: d, columns: c, inner: n, alpha: 2 / (Double(n) * Double(c)),
                    a: x, lda: d, b: y, ldb: c, beta: 0, c: &driving, ldc: c)
        eigen = try SymmetricEigen(matrix: covariance, order: d)
        let student = TeacherStudentData.initialStudent(inputs: d, outputs: c, initScale: config.number(Keys.initScale), seed: seed)
        initialCoefficients = Self.project(eigen.vectors, student, order: d, columns: c, transpose: false)
        drivingCoefficients = Self.project(eigen.vectors, driving, order: d, columns: c, transpose: false)
    }

    /// `vectors` holds eigenvector k as row k (d × d row-major): the product V^T M (or V M with `transpose`).
    static func project(_ vectors: [Double], _ matrix: [Double], order d: Int, columns c: Int, transpose: Bool) -> [Double] {
        var result = [Double](repeating: 0, count: d * c)
        Double.gemm(transposeA: transpose, transposeB: false, rows: d, columns: c, inner: d, alpha: 1,
                    a: vectors, lda: d, b: matrix, ldb: c, beta: 0, c: &result, ldc: c)
        return result
    }

    /// S after `step` GD steps, row-major d_in × d_out.
    public func student(step: Int) -> [Double] {
        let t = Double(step), c = outputs
        var coefficients = [Double](repeating: 0, count: inputs * c)
        for k in 0..<inputs {
            let a = 2 * eigen.values[k] / Double(c) + weightDecay
            let r: Double, gain: Double
            if abs(learningRate * a) < 0.5 {
                // (1 − r)/a = −expm1(t log(1 − ηa))/a, exact as a → 0 (where it tends to ηt).
                let logDecay = log1p(-learningRate * a) * t
                r = exp(logDecay)
                gain = a == 0 ? learningRate * t : -expm1(logDecay) / a
            } else {
                r = pow(1 - learningRate * a, t)
                gain = (1 - r) / a
            }
            for j in 0..<c {
                coefficients[k * c + j] = r * initialCoefficients[k * c + j] + gain * drivingCoefficients[k * c + j]
            }
        }
        return Self.project(eigen.vectors, coefficients, order: inputs, columns: c, transpose: true)
    }

    /// ‖S_oracle(step) − S‖_F / ‖S_oracle(step)‖_F.
    public func relativeDistance(to trained: [Double], step: Int) -> Double {
        let exact = student(step: step)
        var difference = 0.0, norm = 0.0
        for (a, b) in zip(exact, trained) {
            difference += (a - b) * (a - b)
            norm += a * a
        }
        return (difference / norm).squareRoot()
    }
}
