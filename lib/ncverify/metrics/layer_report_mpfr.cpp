// Explicit instantiation of the measurement report for Mpfr (one scalar per translation unit).
#include "ncverify/metrics/layer_report_impl.hpp"

NCV_INSTANTIATE_MEASUREMENT_REPORT(Mpfr)
