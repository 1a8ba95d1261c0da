import Events

/// The `.data` start of the mass parameters (scaled units), from visible kinematics only.
enum MassSeeding {
    static func parameters(data: PreparedData, indices: [Int], physics: PhysicsLoss) -> SIMD2<Double> {
        SIMD2(0, 0)
    }
}
