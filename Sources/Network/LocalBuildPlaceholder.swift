enum LocalBuildPlaceholderNetwork {}
