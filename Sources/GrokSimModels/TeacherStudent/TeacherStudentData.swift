import GrokSimCore

/// The random streams and sampled arrays of the teacher-student model; every number is addressed by global index,
/// so any rank (and the analysis) regenerates exactly the values a run trained on.
public enum TeacherStudentData {
    static let teacherStream = RandomStreamID(rawValue: 131)
    static let studentStream = RandomStreamID(rawValue: 132)
    static let trainInputs = RandomStreamID(rawValue: 133)
    static let testInputs = RandomStreamID(rawValue: 134)
    static let labelNoise = RandomStreamID(rawValue: 135)

    /// The paper's initial scale: standard deviation 1/√(2 d_in d_out) of every entry of T and S₀.
    public static func entryScale(inputs: Int, outputs: Int) -> Double {
        1 / (2 * Double(inputs) * Double(outputs)).squareRoot()
    }

    /// The whole teacher T, row-major d_in × d_out.
    public static func teacher(inputs: Int, outputs: Int, seed: UInt64) -> [Double] {
        let stream = RandomStream(seed: seed, stream: teacherStream)
        let scale = entryScale(inputs: inputs, outputs: outputs)
        return (0..<(inputs * outputs)).map { scale * stream.normal(UInt64($0)) }
    }

    /// The whole initial student S₀ = α · N(0, 1/(2 d_in d_out)), row-major d_in × d_out.
    public static func initialStudent(inputs: Int, outputs: Int, initScale: Double, seed: UInt64) -> [Double] {
        let stream = RandomStream(seed: seed, stream: studentStream)
        let scale = initScale * entryScale(inputs: inputs, outputs: outputs)
        return (0..<(inputs * outputs)).map { scale * stream.normal(UInt64($0)) }
    }

    /// Input x_ik of `split` (standard normal).
    static func input(_ split: DataSplit, inputs: Int, seed: UInt64) -> (Int, Int) -> Double {
        let stream = RandomStream(seed: seed, stream: split == .train ? trainInputs : testInputs)
        return { i, k in stream.normal(UInt64(i) * UInt64(inputs) + UInt64(k)) }
    }

    /// The whole input matrix of `split`, row-major count × d_in.
    public static func inputs(_ split: DataSplit, count: Int, inputs d: Int, seed: UInt64) -> [Double] {
        let value = input(split, inputs: d, seed: seed)
        var x = [Double](repeating: 0, count: count * d)
        for i in 0..<count { for k in 0..<d { x[i * d + k] = value(i, k) } }
        return x
    }

    /// Targets y_i = Tᵀx_i (+ σ_δ N(0, 1) per output on the training split), row-major count × d_out.
    ///
    /// Every rank computes them whole, summing over k in index order, so every rank holds the same numbers.
    public static func targets(_ split: DataSplit, count: Int, inputs d: Int, outputs c: Int, teacher: [Double],
                               noise: Double, seed: UInt64) -> [Double] {
        let value = input(split, inputs: d, seed: seed)
        let noiseStream = RandomStream(seed: seed, stream: labelNoise)
        var y = [Double](repeating: 0, count: count * c)
        var row = [Double](repeating: 0, count: d)
        for i in 0..<count {
            for k in 0..<d { row[k] = value(i, k) }
            for j in 0..<c {
                var sum = 0.0
                for k in 0..<d { sum += row[k] * teacher[k * c + j] }
                if split == .train && noise > 0 { sum += noise * noiseStream.normal(UInt64(i) * UInt64(c) + UInt64(j)) }
                y[i * c + j] = sum
            }
        }
        return y
    }
}
