import GrokSimCore
import GrokSimTheory

/// The Hessian of a model's training loss (without weight decay) at given parameters, by central differences
/// of the gradient through the model seam on one process.
///
/// Column j is (grad L(theta + eps e_j) - grad L(theta - eps e_j)) / (2 eps), then the matrix is symmetrised.
/// The ReLU network's loss is piecewise smooth; eps = 1e-7 keeps a unit from switching sides except for
/// pre-activations within about 1e-7 of zero (rare at these sizes; float64 gradients keep the round-off near 1e-9 relative).
struct SeamHessian {
    let order: Int
    /// The data loss and its gradient at the given parameters (canonical layout).
    let loss: Double
    let gradient: [Double]
    let matrix: [Double]

    init(model: any Model, config: ExperimentConfig, parameters: [Double], step: Double = 1e-7) {
        let shard: any ModelShard<Double> = model.makeShard(config, communicator: SerialCommunicator())
        let count = parameters.count
        order = count
        let sums = ExactAccumulator(count: shard.outputCount(.train))
        let targets = shard.targets(.train)
        var outputs = [Double](repeating: 0, count: shard.outputCount(.train))
        var outputGradients = outputs
        var storageGradient = [Double](repeating: 0, count: shard.parameters.count)
        func evaluate(_ theta: [Double]) -> (Double, [Double]) {
            ShardLayout.store(theta, into: shard.parameters, segments: shard.storageSegments)
            sums.reset()
            shard.accumulatePartialOutputs(.train, into: sums)
            outputs.withUnsafeMutableBufferPointer { sums.values(into: $0) }
            let value = outputs.withUnsafeBufferPointer { shard.loss.value(outputs: $0, targets: targets) }
            outputs.withUnsafeBufferPointer { out in
                outputGradients.withUnsafeMutableBufferPointer { shard.loss.outputGradients(outputs: out, targets: targets, into: $0) }
            }
            outputGradients.withUnsafeBufferPointer { g in
                storageGradient.withUnsafeMutableBufferPointer { shard.computeGradient(outputGradients: g, into: $0) }
            }
            return (value, storageGradient.withUnsafeBufferPointer { ShardLayout.canonical($0, segments: shard.storageSegments) })
        }
        (loss, gradient) = evaluate(parameters)
        var columns = [Double](repeating: 0, count: count * count)
        var theta = parameters
        for j in 0..<count {
            theta[j] = parameters[j] + step
            let (_, plus) = evaluate(theta)
            theta[j] = parameters[j] - step
            let (_, minus) = evaluate(theta)
            theta[j] = parameters[j]
            for i in 0..<count { columns[j * count + i] = (plus[i] - minus[i]) / (2 * step) }
        }
        var symmetric = columns
        for i in 0..<count {
            for j in 0..<count { symmetric[i * count + j] = 0.5 * (columns[i * count + j] + columns[j * count + i]) }
        }
        matrix = symmetric
    }
}

/// What the quadratic expansion of the loss at the start of sampling predicts for Langevin at temperature T.
///
/// With L_q(delta) = L0 + g.delta + delta' H delta / 2 and the weight decay lambda, the potential
/// U = L + lambda |theta|^2 / 2 has Hessian A = H + lambda I and gradient G = g + lambda theta0 there, so the
/// stationary law is delta ~ N(mu, T A^-1) with mu = -A^-1 G. In the eigenbasis of H (A shares it):
/// <L - L0> = sum_i [g_i mu_i + h_i mu_i^2 / 2 + T h_i / (2 a_i)],
/// Var L = sum_i [T (g_i + h_i mu_i)^2 / a_i + T^2 h_i^2 / (2 a_i^2)],
/// over the directions with a_i > 0. A flat direction without decay (a_i = 0) diffuses freely and adds nothing
/// to L at quadratic order; a direction of negative curvature makes the quadratic model unbounded: both are
/// left out and counted. The thermal dimension D_q = sum_i h_i / a_i is the slope of <L - L0> in T/2 (the
/// number of directions with h_i >> lambda when the decay is small).
struct QuadraticPrediction {
    let eigenvalues: [Double]
    let weightDecay: Double
    /// Components of the loss gradient g and of the potential's gradient G along each eigenvector.
    let gradientComponents: [Double]
    let potentialComponents: [Double]
    /// a_i above this count as confining.
    let tolerance: Double

    init(hessian: SeamHessian, parameters: [Double], weightDecay: Double) throws {
        let eigen = try SymmetricEigen(matrix: hessian.matrix, order: hessian.order)
        eigenvalues = eigen.values
        self.weightDecay = weightDecay
        var gc: [Double] = [], pc: [Double] = []
        for k in 0..<hessian.order {
            let v = eigen.vector(k)
            var a = 0.0, b = 0.0
            for i in 0..<hessian.order {
                a += v[i] * hessian.gradient[i]
                b += v[i] * (hessian.gradient[i] + weightDecay * parameters[i])
            }
            gc.append(a)
            pc.append(b)
        }
        gradientComponents = gc
        potentialComponents = pc
        tolerance = 1e-9 * max(1, eigen.values.map(abs).max() ?? 1)
    }

    private var confining: [Int] { eigenvalues.indices.filter { eigenvalues[$0] + weightDecay > tolerance } }
    var negativeDirections: Int { eigenvalues.filter { $0 + weightDecay < -tolerance }.count }
    var flatDirections: Int { eigenvalues.count - confining.count - negativeDirections }
    /// Directions stiff enough to relax within `steps` Langevin steps of learning rate `lr` (eta h steps >= 1).
    func relaxingDirections(learningRate lr: Double, steps: Int) -> Int {
        eigenvalues.filter { lr * $0 * Double(steps) >= 1 }.count
    }
    var thermalDimension: Double { confining.reduce(0) { $0 + eigenvalues[$1] / (eigenvalues[$1] + weightDecay) } }

    func meanExcess(temperature t: Double) -> Double {
        confining.reduce(0) { sum, i in
            let h = eigenvalues[i], a = h + weightDecay, mu = -potentialComponents[i] / a
            return sum + gradientComponents[i] * mu + h * mu * mu / 2 + t * h / (2 * a)
        }
    }

    func variance(temperature t: Double) -> Double {
        confining.reduce(0) { sum, i in
            let h = eigenvalues[i], a = h + weightDecay, mu = -potentialComponents[i] / a
            let slope = gradientComponents[i] + h * mu
            return sum + t * slope * slope / a + t * t * h * h / (2 * a * a)
        }
    }
}
