/// The calibration line of a mass estimator: mean estimate = offset + slope (m_true - reference),
/// fitted by weighted least squares to the mean estimate at each true mass with the error of
/// that mean (the spread over pseudo-experiments / sqrt(count)). Masses in GeV.
public struct LinearCalibration: Sendable, Codable, Equatable {
    /// The true mass the offset refers to (GeV).
    public var reference: Double
    /// Mean estimate at the reference mass (GeV) and its standard error.
    public var offset: Double
    public var offsetError: Double
    /// d(mean estimate) / d(true mass) and its standard error.
    public var slope: Double
    public var slopeError: Double
    /// Covariance of offset and slope (GeV).
    public var covariance: Double
    /// Sum of squared standardised residuals and its degrees of freedom (points - 2).
    public var chi2: Double
    public var degreesOfFreedom: Int

    /// A point of the fit: the true mass, the mean estimate there and the error of that mean.
    public struct Point: Sendable {
        public var trueMass: Double
        public var estimate: Double
        public var error: Double
        public init(trueMass: Double, estimate: Double, error: Double) {
            self.trueMass = trueMass; self.estimate = estimate; self.error = error
        }
    }

    /// Fits the line; nil with fewer than two usable points (finite, error > 0) or when they
    /// share one true mass. The errors are those given: the covariance is not rescaled by
    /// chi2 / dof (which is reported beside it).
    public init?(points: [Point], reference: Double) {
        let usable = points.filter { $0.trueMass.isFinite && $0.estimate.isFinite && $0.error.isFinite && $0.error > 0 }
        guard usable.count >= 2 else { return nil }
        var s = 0.0, sx = 0.0, sxx = 0.0, sy = 0.0, sxy = 0.0
        for p in usable {
            let w = 1 / (p.error * p.error), x = p.trueMass - reference
            s += w; sx += w * x; sxx += w * x * x; sy += w * p.estimate; sxy += w * x * p.estimate
        }
        let delta = s * sxx - sx * sx
        guard delta > 0, delta.isFinite else { return nil }
        self.reference = reference
        slope = (s * sxy - sx * sy) / delta
        offset = (sxx * sy - sx * sxy) / delta
        offsetError = (sxx / delta).squareRoot()
        slopeError = (s / delta).squareRoot()
        covariance = -sx / delta
        var c = 0.0
        for p in usable {
            let r = (p.estimate - offset - slope * (p.trueMass - reference)) / p.error
            c += r * r
        }
        chi2 = c
        degreesOfFreedom = usable.count - 2
    }

    /// The calibrated mass of an estimate: reference + (estimate - offset) / slope.
    public func calibrated(_ estimate: Double) -> Double { reference + (estimate - offset) / slope }

    /// A difference of estimates expressed as a difference of calibrated masses (GeV).
    public func calibratedShift(_ difference: Double) -> Double { difference / slope }
}
