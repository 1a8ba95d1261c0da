#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers so inlinable kinematics code names libm once.
@usableFromInline func atan2Double(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@usableFromInline func asinhDouble(_ x: Double) -> Double { asinh(x) }
@usableFromInline func sinhDouble(_ x: Double) -> Double { sinh(x) }
@usableFromInline func logDouble(_ x: Double) -> Double { log(x) }
@usableFromInline func cosDouble(_ x: Double) -> Double { cos(x) }
@usableFromInline func sinDouble(_ x: Double) -> Double { sin(x) }
