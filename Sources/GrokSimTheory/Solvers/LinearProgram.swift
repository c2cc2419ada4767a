import _CGLPK

/// A GLPK linear program in the simplex's own warm-startable form: rows are constraints, columns variables.
///
/// The basis is kept between ``solve()`` calls, so adding columns and solving again continues from the previous
/// optimum (column generation). Presolve is off for the same reason: it would discard that basis.
/// GLPK's terminal output is switched off for the whole process.
final class LinearProgram {
    private let problem: OpaquePointer
    private static let quiet: Void = { _ = glp_term_out(GLP_OFF) }()

    /// An empty minimisation problem.
    init() {
        _ = Self.quiet
        problem = glp_create_prob()
        glp_set_obj_dir(problem, GLP_MIN)
    }

    deinit { glp_delete_prob(problem) }

    /// Appends `count` rows `a·x ≥ lowerBound`; their coefficients come with the columns.
    func addRows(count: Int, lowerBound: Double) {
        let first = glp_add_rows(problem, Int32(count))
        for i in first..<first + Int32(count) { glp_set_row_bnds(problem, i, GLP_LO, lowerBound, 0) }
    }

    /// Appends `count` equality rows `a·x = value`.
    func addRows(count: Int, equalTo value: Double) {
        let first = glp_add_rows(problem, Int32(count))
        for i in first..<first + Int32(count) { glp_set_row_bnds(problem, i, GLP_FX, value, value) }
    }

    /// Fixes 0-based row i at `value` (`a·x = value`).
    func setRowValue(_ i: Int, _ value: Double) { glp_set_row_bnds(problem, Int32(i + 1), GLP_FX, value, value) }

    /// Appends one column with objective coefficient `cost`, bounds (nil = unbounded on that side) and its
    /// non-zero entries as 0-based (row, value) pairs; returns the column's 0-based index.
    @discardableResult
    func addColumn(cost: Double, lowerBound: Double?, upperBound: Double?, rows: [Int32], values: [Double]) -> Int {
        let column = glp_add_cols(problem, 1)
        switch (lowerBound, upperBound) {
        case (nil, nil): glp_set_col_bnds(problem, column, GLP_FR, 0, 0)
        case let (lower?, nil): glp_set_col_bnds(problem, column, GLP_LO, lower, 0)
        case let (nil, upper?): glp_set_col_bnds(problem, column, GLP_UP, 0, upper)
        case let (lower?, upper?): glp_set_col_bnds(problem, column, lower == upper ? GLP_FX : GLP_DB, lower, upper)
        }
        glp_set_obj_coef(problem, column, cost)
        // GLPK arrays are 1-based: element 0 is ignored.
        var index: [Int32] = [0] + rows.map { $0 + 1 }
        var entry: [Double] = [0] + values
        glp_set_mat_col(problem, column, Int32(rows.count), &index, &entry)
        return Int(column) - 1
    }

    /// Runs the simplex (primal, or dual falling back to primal) from the current basis; throws unless GLPK
    /// reports an optimum.
    func solve(dual: Bool = false) throws {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        if dual { parameters.meth = GLP_DUALP }
        var code = glp_simplex(problem, &parameters)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            // The kept basis became unusable (it happens after many added columns): rebuild one and retry.
            glp_adv_basis(problem, 0)
            code = glp_simplex(problem, &parameters)
        }
        guard code == 0 else {
            throw SolverError.library(name: "glp_simplex", code: Int(code), message: "simplex did not run to the end")
        }
        let status = glp_get_status(problem)
        guard status == GLP_OPT else {
            throw SolverError.library(name: "glp_get_status", code: Int(status), message: "no optimal basic solution")
        }
    }

    /// Objective value of the last solution.
    var objective: Double { glp_get_obj_val(problem) }

    /// Value of 0-based column j in the last solution.
    func value(column j: Int) -> Double { glp_get_col_prim(problem, Int32(j + 1)) }

    /// Dual value (shadow price) of 0-based row i in the last solution.
    func dual(row i: Int) -> Double { glp_get_row_dual(problem, Int32(i + 1)) }
}
