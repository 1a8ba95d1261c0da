enum LocalBuildPlaceholderHarness {}
