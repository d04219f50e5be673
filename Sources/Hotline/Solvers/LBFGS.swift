/// Limited-memory BFGS with a backtracking Armijo line search (Nocedal & Wright, *Numerical Optimization*,
/// 2nd ed., Algorithm 7.4 for the two-loop recursion, Algorithm 3.1 for backtracking). Deterministic.
struct LBFGS {
    /// Pairs of past steps kept (`m` in Nocedal & Wright).
    var memory = 7
    /// Stop when the largest gradient component falls below this.
    var gradientTolerance = 1e-5
    /// Stop when one iteration lowers the objective by less than this fraction of its value.
    var relativeTolerance = 1e-7
    /// Upper bound on iterations.
    var maxIterations = 200

    /// Minimises `objective` from `x`; `objective(x, &gradient)` returns f(x) and fills ∇f(x).
    /// - Returns: the number of iterations run.
    @discardableResult
    func minimize(_ x: inout [Double], objective: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> Int {
        let n = x.count
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var rhos: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        var alphas = [Double](repeating: 0, count: memory)
        for iteration in 0..<maxIterations {
            if gradient.lazy.map(abs).max() ?? 0 < gradientTolerance { return iteration }
            // Two-loop recursion: direction = −H·g.
            for i in 0..<n { direction[i] = -gradient[i] }
            for k in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[k] = rhos[k] * dot(steps[k], direction)
                axpy(-alphas[k], changes[k], &direction)
            }
            if let s = steps.last, let y = changes.last {
                let scale = dot(s, y) / dot(y, y)
                for i in 0..<n { direction[i] *= scale }
            } else {
                let norm = dot(gradient, gradient).squareRoot()
                if norm > 0 { for i in 0..<n { direction[i] /= norm } }
            }
            for k in 0..<steps.count {
                let beta = rhos[k] * dot(changes[k], direction)
                axpy(alphas[k] - beta, steps[k], &direction)
            }
            var slope = dot(gradient, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                steps.removeAll(); changes.removeAll(); rhos.removeAll()
                for i in 0..<n { direction[i] = -gradient[i] }
                slope = dot(gradient, direction)
            }
            var step = 1.0
            var newValue = value
            var accepted = false
            for _ in 0..<40 {
                for i in 0..<n { candidate[i] = x[i] + step * direction[i] }
                newValue = objective(candidate, &candidateGradient)
                if newValue <= value + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { return iteration }
            var s = candidate
            var y = candidateGradient
            for i in 0..<n { s[i] -= x[i]; y[i] -= gradient[i] }
            let sy = dot(s, y)
            if sy > 1e-12 {
                if steps.count == memory { steps.removeFirst(); changes.removeFirst(); rhos.removeFirst() }
                steps.append(s); changes.append(y); rhos.append(1 / sy)
            }
            let decrease = value - newValue
            swap(&x, &candidate)
            swap(&gradient, &candidateGradient)
            value = newValue
            if decrease <= relativeTolerance * max(abs(value), 1) { return iteration + 1 }
        }
        return maxIterations
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0.0
                for i in 0..<a.count { sum += a[i] * b[i] }
                return sum
            }
        }
    }

    private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                for i in 0..<x.count { y[i] += alpha * x[i] }
            }
        }
    }
}
