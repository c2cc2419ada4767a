/// A model whose width is the inner dimension of a `TiledLinearMap` (the coordinates of a linear map): it is
/// split over ranks on whole tiles, at most one rank per tile, with a tile size set by the width alone.
public protocol TiledWidthModel: Model {
    /// What the width counts, for messages ("input coordinates (d = 500)").
    func widthName(_ config: ExperimentConfig) -> String
}

extension TiledWidthModel {
    /// Coordinates per tile; the same for every rank count, so every split sums the same tiles.
    public func tile(_ config: ExperimentConfig) -> Int {
        TiledLinearMap<Double>.tileSize(width: width(config))
    }

    public func partition(_ config: ExperimentConfig, parts: Int) -> WidthPartition {
        WidthPartition(width: width(config), parts: parts, granularity: tile(config))
    }

    public func maximumRanks(_ config: ExperimentConfig) -> Int {
        (width(config) + tile(config) - 1) / tile(config)
    }

    public func widthDescription(_ config: ExperimentConfig) -> String {
        "tiles of \(widthName(config)) (\(maximumRanks(config)) tiles of \(tile(config)))"
    }
}
