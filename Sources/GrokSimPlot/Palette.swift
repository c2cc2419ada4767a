/// Default series colours.
public enum Palette {
    /// The Okabe–Ito colours, which stay distinct under the common forms of colour blindness.
    ///
    /// Yellow comes last because it is hard to see on white.
    public static let okabeIto: [String] = [
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#E69F00", // orange
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#000000", // black
        "#F0E442", // yellow
    ]

    /// The default colour of the series at `index`, cycling when there are more series than colours.
    public static func color(at index: Int) -> String {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }
}
