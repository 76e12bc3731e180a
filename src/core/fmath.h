// The engine's own elementary functions: exp, log, log1p, tanh and integer
// powers, written in plain IEEE double arithmetic (+, -, *, /, comparisons
// and bit manipulation; no libm). The platform's libm differs between the
// builds (glibc natively, musl in Emscripten) in the last bits, so training
// on top of it cannot repeat bit for bit across them; these functions give
// the same bits on every IEEE-754 machine, provided the compiler does not
// contract a*b+c into an FMA (the engine is built with -ffp-contract=off).
//
// Accuracy: exp and log are fdlibm's algorithms (< 1 ulp in double); the
// float versions work in double (exp and tanh through a degree-12 Taylor
// polynomial, relative error < 1e-14) and round once, so they are correctly
// rounded except in rare near-halfway cases. log1p is within a few ulp. Special values follow C's rules (exp(-inf) = 0, log(0) =
// -inf, log(-1) = NaN, NaN in -> NaN out; overflow -> inf, underflow -> 0
// through the subnormals).
#pragma once

namespace cnn::fm {

double exp(double x);
double log(double x);
double log1p(double x);  // log(1 + x), accurate for tiny x
// x^n for an integer n, by repeated squaring in double-double (Adam's
// bias correction beta^t): within about an ulp for any step count.
double powi(double x, long n);

float exp(float x);
float log(float x);
float log1p(float x);
float tanh(float x);
// Only the float tanh exists; a double argument must not narrow silently.
double tanh(double x) = delete;

}  // namespace cnn::fm
