// Explicit instantiation of the measurement report for double (one scalar per translation unit).
#include "ncverify/metrics/layer_report_impl.hpp"

NCV_INSTANTIATE_MEASUREMENT_REPORT(double)
