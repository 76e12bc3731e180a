// cnn: train, evaluate and inspect CNNs from the command line. The same
// source builds natively and as WebAssembly for node (cnn.js).
#include "cli/commands.h"

int main(int argc, char** argv) {
  return cnn::cli::run(cnn::cli::Argv(argv + 1, argv + argc));
}
