/// The adapters of `EstimatorRegistry.standard`, one file each (`Estimators+NAME.swift`).
public enum Estimators {}
