#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers around libm, so the inlinable kinematics code and the detector name these
// functions in one place and need not import Glibc or Darwin themselves. Deliberately not
// inlinable: every caller gets the same libm call, whichever module it is compiled in.
public func atan2Double(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
public func asinhDouble(_ x: Double) -> Double { asinh(x) }
public func sinhDouble(_ x: Double) -> Double { sinh(x) }
public func logDouble(_ x: Double) -> Double { log(x) }
public func cosDouble(_ x: Double) -> Double { cos(x) }
public func sinDouble(_ x: Double) -> Double { sin(x) }
