#pragma once
// Plots rendered by gnuplot (Debian package `gnuplot-nox`) to SVG and PNG.
//
// A plot is a plain description (`LinePlot`, `HeatMap`); `render_plot` writes a gnuplot
// script and its data to a fresh temporary directory, runs `gnuplot` (looked up in PATH)
// there, and copies the two images to `<stem>.svg` and `<stem>.png` with
// write_file_atomically: each image is either absent, its previous complete content or
// the new complete content. PNG uses the `pngcairo` terminal when this gnuplot has it,
// `png` (libgd) otherwise.
//
// Text (titles, axis labels, series names) is gnuplot *enhanced text*: `_{ℓ}` is a
// subscript, `^{2}` a superscript, UTF-8 is printed as is (‖, λ, ½, ²). Text taken from
// data (a phase name, a file name) must go through `plot_literal` so that `_`, `^`, `@`,
// `&`, `~`, `{`, `}` print as themselves.
//
// Errors: ncverify::Error when gnuplot is not found (the message names the Debian
// package to install) or fails (its standard error is in the message); InvalidArgument
// for a plot with nothing to draw or inconsistent sizes; InputError for unwritable output.

#include <Eigen/Core>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ncverify::app {

enum class SeriesStyle { line, dashed_line, points, line_points };

struct PlotSeries {
    std::string name;          // legend entry (enhanced text)
    std::vector<double> x, y;  // same length; non-finite points are not drawn
    SeriesStyle style = SeriesStyle::line;
    /// Empty, or one half-width per point (e.g. the sample standard deviation over seeds
    /// of a mean): error bars y ± y_error (on a logarithmic y axis, a bar that would reach
    /// 0 or below is drawn from y upwards only). A non-finite half-width draws no bar.
    std::vector<double> y_error = {};
};

/// A vertical line at x with a label (e.g. the first step of a training phase).
struct VerticalMarker {
    double x = 0;
    std::string label;  // enhanced text
};

/// A horizontal reference line at y, dashed, with a legend entry (e.g. the edge of
/// stability); the y range includes it.
struct HorizontalMarker {
    double y = 0;
    std::string label;  // enhanced text
};

/// The axes: autoscaled, logarithmic ones to whole decades, except that a logarithmic x
/// axis over less than two decades spans the data (±15 %) with its tics printed as plain
/// numbers, one at each distinct x when there are at most 12 (e.g. the step sizes of a
/// sweep), so that the data do not sit in a corner of a decade.
struct LinePlot {
    std::string title;
    std::string x_label;  // with its unit, e.g. "step"
    std::string y_label;
    bool log_x = false, log_y = false;
    bool integer_x = false;    // x tics at integers only (e.g. a layer index)
    bool y_from_zero = false;  // a linear y axis starts at 0 (when no y is negative)
    std::vector<PlotSeries> series;
    std::vector<VerticalMarker> markers;
    std::vector<HorizontalMarker> levels;
};

/// A matrix drawn as one filled square per entry (vector cells: crisp at any zoom) with a
/// colour bar; row 0 at the top (as the matrix is written). `diverging` uses a blue-white-red palette symmetric about 0 (signed data
/// such as a Gram matrix of centred vectors), otherwise a sequential palette.
struct HeatMap {
    std::string title;
    std::string x_label, y_label;                        // e.g. "class c′", "class c"
    std::string colorbar_label;                          // e.g. "cos(μ_{c}, μ_{c′})"
    Eigen::MatrixXd values;                              // rows × columns; non-finite entries are blank
    std::vector<std::string> row_labels, column_labels;  // empty = 0, 1, ...; enhanced text
    bool diverging = false;
    std::optional<double> range_min, range_max;  // colour range (default: the data's)
    bool show_values = false;                    // print each entry in its cell (small matrices)
};

struct PlotSize {
    int width = 900, height = 540;  // pixels (SVG: viewBox units)
};

struct RenderedPlot {
    std::filesystem::path svg, png;
    /// Points not drawn: non-finite, or ≤ 0 on a logarithmic axis.
    std::size_t dropped_points = 0;
    /// The images' size: the requested one, taller by one line per legend row beyond the
    /// first (a line plot's legend is below it, two entries a row).
    PlotSize size;
};

/// Renders `plot` to `<stem>.svg` and `<stem>.png` (the directory must exist). Throws
/// InvalidArgument when no series has a drawable point (see drawable_points).
RenderedPlot render_plot(const LinePlot& plot, const std::filesystem::path& stem, PlotSize size = {});
RenderedPlot render_plot(const HeatMap& plot, const std::filesystem::path& stem, PlotSize size = {});

/// `text` as enhanced text that prints literally.
std::string plot_literal(const std::string& text);

/// The number of points render_plot would draw (finite, positive on a logarithmic axis).
std::size_t drawable_points(const LinePlot& plot);

/// True when no y value of `plot` is negative and the positive finite ones span at least
/// a factor `ratio` (the plot then reads better on a logarithmic y axis; zeros are not
/// drawn there).
bool spans_decades(const LinePlot& plot, double ratio = 10);

}  // namespace ncverify::app
