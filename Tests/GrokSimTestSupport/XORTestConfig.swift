import GrokSimCore
import GrokSimModels

/// Settable XOR keys on a config, so unit tests can write `config.n = 7` as they did before the model seam.
///
/// `ExperimentConfig()` here is the XOR model's defaults with `representation` left unset (chosen again
/// from the sizes whenever it is read), as the resolved configs of the engine never are.
extension ExperimentConfig {
    public init() {
        TestModels.install()
        var config = try! ConfigLoader.defaults(model: XORReLUModel.modelName)
        config.remove(XORReLUModel.Keys.representation)
        self = config
    }

    private func xor() -> XORReLUSettings { XORReLUSettings(self) }
    private mutating func setInteger(_ key: String, _ value: Int) { set(key, .integer(value)) }
    private mutating func setNumber(_ key: String, _ value: Double) { set(key, .number(value)) }

    public var n: Int { get { xor().n } set { setInteger(XORReLUModel.Keys.n, newValue) } }
    public var p: Int { get { xor().p } set { setInteger(XORReLUModel.Keys.p, newValue) } }
    public var m: Int { get { xor().m } set { setInteger(XORReLUModel.Keys.m, newValue) } }
    public var nTest: Int { get { xor().nTest } set { setInteger(XORReLUModel.Keys.nTest, newValue) } }
    public var eta: Double { get { xor().eta } set { setNumber(XORReLUModel.Keys.eta, newValue) } }
    public var alpha: Double { get { xor().alpha } set { setNumber(XORReLUModel.Keys.alpha, newValue) } }
    public var omega: Double { get { xor().omega } set { setNumber(XORReLUModel.Keys.omega, newValue) } }
    public var weightDecay: Double { get { xor().weightDecay } set { setNumber(DynamicsKeys.weightDecay, newValue) } }
    public var muNorm: Double? {
        get { xor().muNorm }
        set { if let newValue { setNumber(XORReLUModel.Keys.muNorm, newValue) } else { remove(XORReLUModel.Keys.muNorm) } }
    }
    public var secondLayer: SecondLayer {
        get { xor().secondLayer }
        set { set(XORReLUModel.Keys.secondLayer, .string(newValue.rawValue)) }
    }
    public var representation: Representation? {
        get { xor().representation }
        set { if let newValue { set(XORReLUModel.Keys.representation, .string(newValue.rawValue)) } else { remove(XORReLUModel.Keys.representation) } }
    }
    public var resolvedMuNorm: Double { xor().resolvedMuNorm }
    public var resolvedRepresentation: Representation { xor().resolvedRepresentation }
    public var weightDimension: Int { xor().weightDimension }
    public var trainDimension: Int { xor().trainDimension }
    /// The XOR settings, for the model's own functions.
    public var settings: XORReLUSettings { xor() }
}

extension Simulation {
    /// The XOR network of this simulation (tests of the XOR model only).
    public var network: TwoLayerReLUNetwork<Scalar> { shard as! TwoLayerReLUNetwork<Scalar> }
}
