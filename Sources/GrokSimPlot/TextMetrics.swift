/// Rough text sizes for layout, since an SVG is written without access to the fonts that will draw it.
enum TextMetrics {
    /// The width of `text` in a sans-serif font of `fontSize` pixels, assuming an average glyph of 0.6 em.
    static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
