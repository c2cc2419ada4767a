import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun

extension TeacherStudentModel: AnalyzableModel {
    public var analysisHelp: String {
        """
        The exact GD solution on the run's own training set, from the eigendecomposition of Sigma_train = X^T X / N \
        (LAPACK dsyevd), evaluated at every checkpoint without iterating, and its relative distance \
        ||S_exact - S|| / ||S_exact|| from the trained S (an exact test of the simulator, about 1e-12 in float64 for \
        plain GD; it does not apply to Adam or Langevin runs). Also the measured 95% crossing steps of the train and \
        test accuracy (interpolated between recorded steps) and the grokking delay beside the Marchenko-Pastur \
        prediction stored under /theory. Written under /analysis/oracle and /analysis/crossings; for an ensemble, \
        the per-seed crossings and their mean are written into the index.
        """
    }

    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        TeacherStudentAnalysis.render([(nil, try TeacherStudentAnalysis.analyze(path: runPath, options: options))])
    }

    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        try TeacherStudentAnalysisFigures.make(file: file, caption: caption)
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        TeacherStudentAnalysis.render(try TeacherStudentAnalysis.analyzeEnsemble(indexPath: indexPath, options: options))
    }
}
