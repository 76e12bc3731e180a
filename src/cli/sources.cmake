# The cnn command line: see src/cli/
