#if canImport(Glibc)
import Glibc
#endif

func sinhDouble(_ x: Double) -> Double { sinh(x) }
