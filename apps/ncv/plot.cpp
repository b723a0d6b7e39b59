#include "plot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <utility>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"

extern char** environ;

namespace ncverify::app {
namespace fs = std::filesystem;

namespace {

/// A script and the data files it reads, by file name (all in one directory).
struct GnuplotJob {
    std::string script;
    std::vector<std::pair<std::string, std::string>> data_files;
    std::size_t dropped_points = 0;
    PlotSize size;
};

/// A fresh directory under the system's temporary directory, removed with its content.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string name = (fs::temp_directory_path() / "ncv-plot-XXXXXX").string();
        if (::mkdtemp(name.data()) == nullptr)
            throw Error(fmt::format("cannot create a temporary directory {}: {}", name, std::strerror(errno)));
        path_ = name;
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

/// `text` as a single-quoted gnuplot string (a quote is doubled; backslashes are kept
/// for the enhanced-text processor).
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

std::string number(double value) { return fmt::format("{:.17g}", value); }

// Tableau 10: distinguishable, and readable in print.
constexpr const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// Text sizes: the base font is large enough that the sub- and superscripts of enhanced
// text (0.8 of it: the exponents of the logarithmic tics) are at least 11 px high in the
// SVG shown at its natural size (`fixed`: the image has that width and height, and a page
// scales it down only); the title is larger.
constexpr int kSvgFontSize = 14, kPngFontSize = 13, kTitleFontSize = 16;

std::string terminal_preamble(PlotSize size) {
    return fmt::format(
        "set encoding utf8\n"
        "set terminal svg size {0},{1} fixed enhanced font 'Arial,{2}' background rgb 'white'\n"
        "set output SVG_FILE\n",
        size.width, size.height, kSvgFontSize);
}

/// Switches to PNG output and draws the plot again.
std::string png_replot(PlotSize size) {
    return fmt::format(
        "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {{\n"
        "  set terminal pngcairo size {0},{1} enhanced font 'DejaVu Sans,{2}' background rgb 'white'\n"
        "}} else {{\n"
        "  set terminal png size {0},{1} enhanced font 'DejaVu Sans,{2}' background rgb 'white'\n"
        "}}\n"
        "set output PNG_FILE\n"
        "replot\n"
        "unset output\n",
        size.width, size.height, kPngFontSize);
}

std::string file_variables(const fs::path& directory) {
    return fmt::format("SVG_FILE = {}\nPNG_FILE = {}\nDATA_DIR = {}\n", quoted((directory / "plot.svg").string()),
                       quoted((directory / "plot.png").string()), quoted(directory.string()));
}

bool drawable(double x, double y, const LinePlot& plot) {
    return std::isfinite(x) && std::isfinite(y) && (!plot.log_x || x > 0) && (!plot.log_y || y > 0);
}

/// A line series with fewer drawn points than this also marks each point (a line through a
/// few points hides where the data are).
constexpr std::size_t kMarkedLineBelowPoints = 20;

/// The gnuplot style of a series of `points` drawn points; with `bars`, the same with error
/// bars (columns 3, 4: the bar's ends).
std::string series_style(SeriesStyle style, std::size_t index, bool bars, std::size_t points) {
    const std::string colour = fmt::format("lc rgb '{}'", kColours[index % std::size(kColours)]);
    if (points < kMarkedLineBelowPoints && (style == SeriesStyle::line || style == SeriesStyle::dashed_line))
        return fmt::format("with {} lw 2 dt {} pt 7 ps 0.9 {}", bars ? "yerrorlines" : "linespoints",
                           style == SeriesStyle::line ? 1 : 2, colour);
    const char* lines = bars ? "yerrorlines" : "lines";
    switch (style) {
        case SeriesStyle::line: return fmt::format("with {} lw 2 dt 1 {}{}", lines, colour, bars ? " pt 7 ps 0.6" : "");
        case SeriesStyle::dashed_line:
            return fmt::format("with {} lw 2 dt 2 {}{}", lines, colour, bars ? " pt 7 ps 0.6" : "");
        case SeriesStyle::points: return fmt::format("with {} pt 6 ps 1.8 lw 2 {}", bars ? "yerrorbars" : "points", colour);
        case SeriesStyle::line_points:
            return fmt::format("with {} lw 2 dt 1 pt 7 ps 1.2 {}", bars ? "yerrorlines" : "linespoints", colour);
    }
    return "with lines";
}

GnuplotJob line_plot_job(const LinePlot& plot, const fs::path& directory, PlotSize size) {
    GnuplotJob job;
    std::string data;
    std::string plot_command;
    std::size_t block = 0;
    std::set<double> distinct_x;
    double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
    double y_min = x_min, y_max = x_max;
    for (std::size_t s = 0; s < plot.series.size(); ++s) {
        const PlotSeries& series = plot.series[s];
        if (series.x.size() != series.y.size())
            throw InvalidArgument(fmt::format("plot '{}': series '{}' has {} x values and {} y values", plot.title,
                                              series.name, series.x.size(), series.y.size()));
        const bool bars = !series.y_error.empty();
        if (bars && series.y_error.size() != series.y.size())
            throw InvalidArgument(fmt::format("plot '{}': series '{}' has {} error bars for {} points", plot.title,
                                              series.name, series.y_error.size(), series.y.size()));
        std::string lines;
        std::size_t points = 0;
        for (std::size_t i = 0; i < series.x.size(); ++i) {
            if (drawable(series.x[i], series.y[i], plot)) {
                ++points;
                lines += fmt::format("{} {}", number(series.x[i]), number(series.y[i]));
                if (bars) {
                    const double y = series.y[i], e = std::isfinite(series.y_error[i]) ? std::abs(series.y_error[i]) : 0;
                    const double low = plot.log_y && y - e <= 0 ? y : y - e;
                    lines += fmt::format(" {} {}", number(low), number(y + e));
                    y_min = std::min(y_min, low);
                    y_max = std::max(y_max, y + e);
                }
                lines += '\n';
                distinct_x.insert(series.x[i]);
                x_min = std::min(x_min, series.x[i]);
                x_max = std::max(x_max, series.x[i]);
                y_min = std::min(y_min, series.y[i]);
                y_max = std::max(y_max, series.y[i]);
            } else {
                ++job.dropped_points;
            }
        }
        if (lines.empty()) continue;
        if (block > 0) data += "\n\n";
        data += lines;
        plot_command += fmt::format("{}DATA_DIR.'/series.dat' index {} using {} {} title {}",
                                    block == 0 ? "plot " : ", \\\n     ", block, bars ? "1:2:3:4" : "1:2",
                                    series_style(series.style, s, bars, points), quoted(series.name));
        ++block;
    }
    if (block == 0)
        throw InvalidArgument(fmt::format("plot '{}': no series has a point to draw (finite{})", plot.title,
                                          plot.log_x || plot.log_y ? ", positive on the logarithmic axes" : ""));
    for (const HorizontalMarker& level : plot.levels) {
        if (!std::isfinite(level.y) || (plot.log_y && level.y <= 0)) continue;
        plot_command += fmt::format(", \\\n     {} with lines lw 1.5 dt 4 lc rgb '#b40426' title {}", number(level.y),
                                    quoted(level.label));
        ++block;
    }
    job.data_files.emplace_back("series.dat", std::move(data));
    // The legend goes below the plot, two entries a row; the image grows with it so that
    // the plot area keeps its height.
    const int key_rows = static_cast<int>((block + 1) / 2);
    job.size = {size.width, size.height + 20 * std::max(0, key_rows - 1)};

    std::string& script = job.script;
    script += file_variables(directory);
    script += terminal_preamble(job.size);
    script += fmt::format("set title {} font ',{}' offset 0,0.8\n", quoted(plot.title), kTitleFontSize);
    script += fmt::format("set xlabel {}\nset ylabel {}\n", quoted(plot.x_label), quoted(plot.y_label));
    script +=
        "set grid lc rgb '#dddddd' lw 1\nset border 3\nset tics nomirror out\n"
        "set key below Left reverse maxcols 2 samplen 3 width 2\n";
    if (plot.log_x) script += "set logscale x 10\nset format x '10^{%L}'\n";
    constexpr double kShortLogDecades = 2;  // below: the data's range and plain tics (LinePlot)
    if (plot.log_x && std::log10(x_max / x_min) < kShortLogDecades) {
        script += fmt::format("set xrange [{}:{}]\nset format x '%g'\n", number(x_min / 1.15), number(x_max * 1.15));
        if (distinct_x.size() <= 12) {
            std::string tics;
            for (const double x : distinct_x) tics += fmt::format("{}{}", tics.empty() ? "" : ", ", number(x));
            script += fmt::format("set xtics ({})\nunset mxtics\n", tics);
        }
    }
    if (plot.log_y) script += "set logscale y 10\nset format y '10^{%L}'\n";
    if (plot.y_from_zero && !plot.log_y && y_min >= 0) script += "set yrange [0:*]\n";
    // Over many decades gnuplot's minor tics pile up into blots at each major tic.
    constexpr double kMinorTicDecades = 5;
    if (plot.log_x && std::log10(x_max / x_min) > kMinorTicDecades) script += "unset mxtics\n";
    if (plot.log_y && std::log10(y_max / y_min) > kMinorTicDecades) script += "unset mytics\n";
    if (plot.integer_x)
        script += fmt::format("set xtics 1\nset mxtics 1\nset xrange [{}:{}]\n", number(std::floor(x_min) - 0.5),
                              number(std::ceil(x_max) + 0.5));
    int marker = 0;
    for (const VerticalMarker& m : plot.markers) {
        if (!std::isfinite(m.x) || (plot.log_x && m.x <= 0)) continue;
        ++marker;
        script += fmt::format("set arrow {} from first {}, graph 0 to first {}, graph 1 nohead dt 3 lc rgb '#888888'\n",
                              marker, number(m.x), number(m.x));
        script += fmt::format("set label {} {} at first {}, graph 1 left offset 0.4,0.7 tc rgb '#555555'\n", marker,
                              quoted(m.label), number(m.x));
    }
    script += plot_command;
    script += "\n";
    script += png_replot(job.size);
    return job;
}

/// Whether the palette is dark at t in [0, 1] (white text reads better there), for the
/// two palettes of `palette`.
bool dark_background(const HeatMap& plot, double t) {
    if (plot.diverging) return std::abs(t - 0.5) > 0.35;
    return t < 0.55;
}

std::string palette(const HeatMap& plot) {
    if (plot.diverging) return "set palette defined (0 '#3b4cc0', 0.5 '#f7f7f7', 1 '#b40426')\n";
    // viridis, sampled at five points
    return "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')\n";
}

std::string tic_list(const std::vector<std::string>& labels, Eigen::Index count, const char* axis) {
    std::string tics = fmt::format("set {}tics (", axis);
    for (Eigen::Index i = 0; i < count; ++i) {
        const std::string label = labels.empty() ? std::to_string(i) : labels[static_cast<std::size_t>(i)];
        tics += fmt::format("{}{} {}", i == 0 ? "" : ", ", quoted(label), i);
    }
    tics += ")\n";
    return tics;
}

GnuplotJob heat_map_job(const HeatMap& plot, const fs::path& directory, PlotSize size) {
    const Eigen::Index rows = plot.values.rows(), cols = plot.values.cols();
    if (rows == 0 || cols == 0) throw InvalidArgument(fmt::format("heat map '{}': the matrix is empty", plot.title));
    if (!plot.row_labels.empty() && plot.row_labels.size() != static_cast<std::size_t>(rows))
        throw InvalidArgument(
            fmt::format("heat map '{}': {} row labels for {} rows", plot.title, plot.row_labels.size(), rows));
    if (!plot.column_labels.empty() && plot.column_labels.size() != static_cast<std::size_t>(cols))
        throw InvalidArgument(
            fmt::format("heat map '{}': {} column labels for {} columns", plot.title, plot.column_labels.size(), cols));
    GnuplotJob job;
    double low = std::numeric_limits<double>::infinity(), high = -low;
    std::string matrix;
    for (Eigen::Index i = 0; i < rows; ++i) {
        for (Eigen::Index j = 0; j < cols; ++j) {
            const double v = plot.values(i, j);
            if (std::isfinite(v)) {
                low = std::min(low, v);
                high = std::max(high, v);
                matrix += fmt::format("{}{}", j == 0 ? "" : " ", number(v));
            } else {
                ++job.dropped_points;
                matrix += fmt::format("{}NaN", j == 0 ? "" : " ");
            }
        }
        matrix += '\n';
    }
    if (!std::isfinite(low)) throw InvalidArgument(fmt::format("heat map '{}': no entry is finite", plot.title));
    if (plot.diverging) {
        const double m = std::max(std::abs(low), std::abs(high));
        low = -m;
        high = m;
    }
    if (plot.range_min) low = *plot.range_min;
    if (plot.range_max) high = *plot.range_max;
    if (!(high > low)) {  // constant matrix: any non-empty range shows it
        const double pad = low == 0 ? 1 : std::abs(low) * 0.5;
        low -= pad;
        high += pad;
    }
    job.data_files.emplace_back("matrix.dat", std::move(matrix));
    job.size = size;

    std::string& script = job.script;
    script += file_variables(directory);
    script += terminal_preamble(size);
    script += fmt::format("set title {} font ',{}'\n", quoted(plot.title), kTitleFontSize);
    script += fmt::format("set xlabel {}\nset ylabel {}\nset cblabel {}\n", quoted(plot.x_label), quoted(plot.y_label),
                          quoted(plot.colorbar_label));
    script += fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", number(static_cast<double>(cols) - 0.5),
                          number(static_cast<double>(rows) - 0.5));
    script += "set size ratio -1\nset tics scale 0\nunset key\n";
    script += tic_list(plot.column_labels, cols, "x");
    script += tic_list(plot.row_labels, rows, "y");
    script += fmt::format("set cbrange [{}:{}]\n", number(low), number(high));
    script += palette(plot);
    // `pixels`: one filled rectangle per entry, so that the SVG shows crisp cells instead of
    // an embedded raster image the browser smooths when it scales it.
    script += "plot DATA_DIR.'/matrix.dat' matrix with image pixels notitle";
    if (plot.show_values) {
        std::string labels;
        for (Eigen::Index i = 0; i < rows; ++i)
            for (Eigen::Index j = 0; j < cols; ++j) {
                const double v = plot.values(i, j);
                if (!std::isfinite(v)) {
                    labels += fmt::format("{} {} \"{}\" {}\n", j, i, v, 0x888888);
                    continue;
                }
                const double t = std::clamp((v - low) / (high - low), 0.0, 1.0);
                labels += fmt::format("{} {} \"{:.2g}\" {}\n", j, i, v, dark_background(plot, t) ? 0xffffff : 0x000000);
            }
        job.data_files.emplace_back("labels.dat", std::move(labels));
        // The cells shrink as the matrix grows; so does the text in them, down to the size of
        // the plots' scripts.
        const int font_size = std::max(11, kSvgFontSize - static_cast<int>(std::max(rows, cols)) / 3);
        script += fmt::format(
            ", \\\n     DATA_DIR.'/labels.dat' using 1:2:3:4 with labels tc rgb variable font ',{}' notitle",
            font_size);
    }
    script += "\n";
    script += png_replot(size);
    return job;
}

/// Runs `gnuplot SCRIPT` with standard input from /dev/null and both outputs captured in
/// `directory`; throws when gnuplot cannot be started or fails (naming `target`, the
/// images being drawn, since the script is removed with its temporary directory).
void run_gnuplot(const fs::path& directory, const fs::path& script, const fs::path& target) {
    const std::string stdout_path = (directory / "gnuplot.out").string();
    const std::string stderr_path = (directory / "gnuplot.err").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string program = "gnuplot";
    std::string script_argument = script.string();
    char* argv[] = {program.data(), script_argument.data(), nullptr};
    pid_t pid = 0;
    const int spawn_error = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error == ENOENT)
        throw Error(
            "gnuplot was not found in PATH; the plots need it: install the Debian package gnuplot-nox "
            "(apt-get install gnuplot-nox, or scripts/install-deps.sh)");
    if (spawn_error != 0) throw Error(fmt::format("cannot run gnuplot: {}", std::strerror(spawn_error)));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw Error(fmt::format("waiting for gnuplot failed: {}", std::strerror(errno)));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    std::string errors;
    try {
        errors = read_file(stderr_path);
    } catch (const Error&) {
    }
    while (!errors.empty() && (errors.back() == '\n' || errors.back() == ' ')) errors.pop_back();
    constexpr std::size_t kMaxErrorText = 4000;
    if (errors.size() > kMaxErrorText) errors = fmt::format("...{}", errors.substr(errors.size() - kMaxErrorText));
    const std::string how = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                              : fmt::format("signal {}", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    throw Error(fmt::format("gnuplot failed ({}) drawing {}.svg / .png:\n{}", how, target.string(), errors));
}

RenderedPlot render(const GnuplotJob& job, const fs::path& directory, const fs::path& stem) {
    for (const auto& [name, content] : job.data_files) write_file_atomically(directory / name, content);
    const fs::path script = directory / "plot.gp";
    write_file_atomically(script, job.script);
    run_gnuplot(directory, script, stem);
    const std::string svg = read_file(directory / "plot.svg");
    const std::string png = read_file(directory / "plot.png");
    if (svg.find("<svg") == std::string::npos)
        throw Error(fmt::format("gnuplot wrote no SVG image for {}", stem.string()));
    if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0)
        throw Error(fmt::format("gnuplot wrote no PNG image for {}", stem.string()));
    RenderedPlot rendered;
    rendered.svg = fmt::format("{}.svg", stem.string());
    rendered.png = fmt::format("{}.png", stem.string());
    rendered.dropped_points = job.dropped_points;
    rendered.size = job.size;
    write_file_atomically(rendered.svg, svg);
    write_file_atomically(rendered.png, png);
    return rendered;
}

}  // namespace

RenderedPlot render_plot(const LinePlot& plot, const fs::path& stem, PlotSize size) {
    const TemporaryDirectory directory;
    return render(line_plot_job(plot, directory.path(), size), directory.path(), stem);
}

RenderedPlot render_plot(const HeatMap& plot, const fs::path& stem, PlotSize size) {
    const TemporaryDirectory directory;
    return render(heat_map_job(plot, directory.path(), size), directory.path(), stem);
}

std::string plot_literal(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::strchr("_^@&~{}\\", c) != nullptr && c != '\0') out += '\\';
        out += c;
    }
    return out;
}

std::size_t drawable_points(const LinePlot& plot) {
    std::size_t count = 0;
    for (const PlotSeries& series : plot.series)
        for (std::size_t i = 0; i < std::min(series.x.size(), series.y.size()); ++i)
            if (drawable(series.x[i], series.y[i], plot)) ++count;
    return count;
}

bool spans_decades(const LinePlot& plot, double ratio) {
    double low = std::numeric_limits<double>::infinity(), high = 0;
    for (const PlotSeries& series : plot.series)
        for (double y : series.y) {
            if (y < 0) return false;
            if (std::isfinite(y) && y > 0) {
                low = std::min(low, y);
                high = std::max(high, y);
            }
        }
    return high > 0 && high >= ratio * low;
}

}  // namespace ncverify::app
