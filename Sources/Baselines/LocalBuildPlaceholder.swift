enum LocalBuildPlaceholderBaselines {}
