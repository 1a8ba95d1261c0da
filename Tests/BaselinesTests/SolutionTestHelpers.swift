import Events
import Kinematics

/// Four-vector of row i of a flat (N*4) array.
func fourVector(_ flat: [Double], _ i: Int) -> FourVector {
    FourVector(e: flat[4 * i], px: flat[4 * i + 1], py: flat[4 * i + 2], pz: flat[4 * i + 3])
}

/// Largest absolute component difference, GeV.
func maxDifference(_ u: FourVector, _ v: FourVector) -> Double {
    max(abs(u.e - v.e), abs(u.px - v.px), abs(u.py - v.py), abs(u.pz - v.pz))
}
