enum LocalBuildPlaceholderFormats {}
