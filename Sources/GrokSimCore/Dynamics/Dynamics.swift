import Foundation

/// The update rule of a run, applied to any model's local parameters: GD with weight decay, Adam, and Langevin noise.
///
/// Plain GD first offers the model its fused step (the XOR network folds the decay into its GEMM's beta);
/// otherwise the model writes its gradient and the update runs elementwise here. Every operation is
/// elementwise on values that are identical whatever the rank count, and the Langevin noise is keyed by
/// (seed, step, global parameter index), so runs stay bit-identical for any number of ranks.
public final class Dynamics<Scalar: BLASScalar> {
    public let settings: DynamicsSettings
    /// The temperature of the next step: the config's, or the current phase's under a `LangevinSchedule` (set by the driver).
    public var temperature: Double
    /// The gradient buffer, allocated on first use: a model's fused GD step never needs it (for the XOR network
    /// at the paper's size it would be another m x p array).
    private var gradientStorage: UnsafeMutableBufferPointer<Scalar>? = nil
    private let storageCount: Int
    /// Adam's moments, in storage order (empty for GD).
    public let firstMoment: UnsafeMutableBufferPointer<Double>
    public let secondMoment: UnsafeMutableBufferPointer<Double>
    /// Global index of each storage position (only with temperature > 0).
    private let globalIndices: [UInt64]
    private let noise: RandomStream

    /// `storageCount`: the length of the shard's storage, which may hold padding beyond its parameters (padding
    /// has zero gradient, so GD and Adam keep it zero; Langevin noise there is keyed beyond every real index).
    public init(settings: DynamicsSettings, seed: UInt64, layout: ShardLayout, storageCount: Int, segments: [StorageSegment]?) {
        self.settings = settings
        temperature = settings.schedule == nil ? settings.temperature : 0
        let count = storageCount
        self.storageCount = count
        let moments = settings.optimizer == .adam ? count : 0
        firstMoment = .allocate(capacity: max(1, moments))
        secondMoment = .allocate(capacity: max(1, moments))
        firstMoment.initialize(repeating: 0)
        secondMoment.initialize(repeating: 0)
        if settings.temperature > 0 || settings.schedule != nil {
            let canonical = layout.globalIndices()
            var byStorage = segments == nil ? canonical : (0..<count).map { UInt64.max - UInt64($0) }
            for segment in segments ?? [] {
                for i in 0..<segment.count { byStorage[segment.storageOffset + i] = canonical[segment.canonicalOffset + i] }
            }
            globalIndices = byStorage
        } else {
            globalIndices = []
        }
        noise = RandomStream(seed: seed, stream: .langevinNoise)
    }

    deinit {
        gradientStorage?.deallocate()
        firstMoment.deallocate()
        secondMoment.deallocate()
    }

    private var gradient: UnsafeMutableBufferPointer<Scalar> {
        if let gradientStorage { return gradientStorage }
        let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: max(1, storageCount))
        buffer.initialize(repeating: 0)
        gradientStorage = buffer
        return buffer
    }

    /// Whether the rule keeps state (Adam's moments) that checkpoints must hold.
    public var hasState: Bool { settings.optimizer == .adam }

    /// Moves the shard's parameters from step `step` to `step + 1`, given dL/df of every training output.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public func apply(to shard: any ModelShard<Scalar>, outputGradients: UnsafeBufferPointer<Double>, step: Int) {
        let theta = shard.parameters
        let lr = settings.learningRate, decay = settings.weightDecay
        switch settings.optimizer {
        case .gd:
            if !shard.fusedGradientStep(outputGradients: outputGradients, learningRate: lr, weightDecay: decay) {
                shard.computeGradient(outputGradients: outputGradients, into: UnsafeMutableBufferPointer(rebasing: gradient[0..<theta.count]))
                for i in 0..<theta.count {
                    let value = Double(theta[i])
                    theta[i] = Scalar(value - lr * (Double(gradient[i]) + decay * value))
                }
            }
        case .adam:
            shard.computeGradient(outputGradients: outputGradients, into: UnsafeMutableBufferPointer(rebasing: gradient[0..<theta.count]))
            let t = Double(step + 1)
            let b1 = settings.beta1, b2 = settings.beta2, eps = settings.epsilon
            let correction1 = 1 - Foundation.pow(b1, t), correction2 = 1 - Foundation.pow(b2, t)
            let decoupled = settings.decoupledWeightDecay
            for i in 0..<theta.count {
                var value = Double(theta[i])
                var g = Double(gradient[i])
                if decoupled { value -= lr * decay * value } else { g += decay * value }
                let m = b1 * firstMoment[i] + (1 - b1) * g
                let v = b2 * secondMoment[i] + (1 - b2) * g * g
                firstMoment[i] = m
                secondMoment[i] = v
                value -= lr * (m / correction1) / ((v / correction2).squareRoot() + eps)
                theta[i] = Scalar(value)
            }
        }
        if temperature > 0 {
            let scale = (2 * lr * temperature).squareRoot()
            for i in 0..<theta.count {
                theta[i] = Scalar(Double(theta[i]) + scale * langevinNormal(step: step, index: globalIndices[i]))
            }
        }
    }

    /// The standard normal of step `step` at global parameter index `index` (Box–Muller on one Philox block
    /// per pair of indices; the step is the block's attempt word).
    func langevinNormal(step: Int, index: UInt64) -> Double {
        let b = noise.bits(index >> 1, attempt: UInt32(truncatingIfNeeded: step))
        let u1 = RandomStream.unitInterval(b.0, b.1), u2 = RandomStream.unitInterval(b.2, b.3)
        let radius = (-2 * Foundation.log(u1)).squareRoot(), angle = 2 * Double.pi * u2
        return index & 1 == 0 ? radius * Foundation.cos(angle) : radius * Foundation.sin(angle)
    }
}
