enum LocalBuildPlaceholderDeeLeMa {}
