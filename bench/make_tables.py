#!/usr/bin/python3
"""Tables of bench/run_all.sh (standard library only).

usage: make_tables.py RESULTS_DIR README

Reads the Google Benchmark JSON files of RESULTS_DIR (linalg, training, scaling,
metrics, checkers .json), RESULTS_DIR/peer/peer.json and .md (bench/peer/), and
RESULTS_DIR/machine.json, and replaces the text between the markers
  <!-- bench-results:begin --> ... <!-- bench-results:end -->
of README with the tables (the rest of the file is left as it is). Also writes the
same text to RESULTS_DIR/tables.md.

Times: Google Benchmark's real (wall) and CPU time of the benchmarking thread; with one
thread (the default of run_all.sh) the CPU time is the work itself and does not count
the time the process waited for a core of the shared machine, so the ratios of the
single-threaded micro-benchmarks use CPU time. When a benchmark ran with repetitions,
its median is used.
"""
import glob
import json
import math
import os
import re
import sys

BEGIN, END = '<!-- bench-results:begin -->', '<!-- bench-results:end -->'


def load_benchmarks(path):
    """{run name: {'real': ms, 'cpu': ms, counters...}} from a Google Benchmark JSON file."""
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        data = json.load(handle)
    to_ms = {'ns': 1e-6, 'us': 1e-3, 'ms': 1.0, 's': 1e3}
    plain, medians = {}, {}
    for b in data['benchmarks']:
        name = b.get('run_name', b['name'])
        name = re.sub(r'/real_time$', '', name)
        entry = dict(b)
        entry['real'] = b['real_time'] * to_ms[b.get('time_unit', 'ns')]
        entry['cpu'] = b['cpu_time'] * to_ms[b.get('time_unit', 'ns')]
        if b.get('run_type') == 'aggregate':
            if b.get('aggregate_name') == 'median':
                medians[name] = entry
        else:
            plain.setdefault(name, entry)
    plain.update(medians)
    return plain


def fmt_ms(value):
    if value is None:
        return '-'
    if value >= 100:
        return f'{value:,.0f}'
    return f'{value:.3g}'


def fit_exponent(xs, ys):
    """Least-squares slope of log y against log x."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    sxx = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sxx


def machine_section(machine):
    return [
        '### Machine and run',
        '',
        f"- date: {machine['date']}; commit {machine['commit']} (working tree may differ)",
        f"- CPU: {machine['cpu_model']}, {machine['cores']} cores ({machine['threads_per_core']} thread(s) per core), "
        f"{machine['os']}; compiler {machine['compiler']}",
        f"- threads used by every benchmark and both sides of the peer comparison: {machine['threads']}",
        f"- **shared machine**: other builds and runs were using it while the table was made; load average "
        f"(/proc/loadavg) before: `{machine['loadavg_before']}`, after: `{machine['loadavg_after']}`. "
        f"Wall times are therefore noisy (a process often waited for a core); read ratios from the same run, "
        f"and prefer the CPU-time columns for single-threaded work.",
        f"- total time of bench/run_all.sh: {machine['elapsed_seconds']:.0f} s",
        '',
    ]


def targets_section(peer, linalg, checkers):
    lines = ['### Targets', '', '| target | measured | verdict |', '|---|---|---|']
    reference = next((r for r in peer.get('rows', []) if r['problem'] == 'reference'), None)
    if reference:
        ok = reference['ratio'] <= 0.8
        lines.append(f"| double GD step <= 0.8 x PyTorch float64 (reference problem, {reference['threads']} thread(s), "
                     f"median wall time per step) | {reference['ratio']:.2f} x (CPU time: {reference['cpu_ratio']:.2f} x) "
                     f"| {'met' if ok else '**missed**'} |")
    ours, arb = linalg.get('product_mpfr/n:256/bits:256'), linalg.get('product_arb_approx_mul/n:256/bits:256')
    if ours and arb:
        ratio = ours['cpu'] / arb['cpu']
        lines.append(f"| 256-bit product <= 1.5 x arb_mat_approx_mul (n = 256, CPU time) | {ratio:.2f} x "
                     f"({fmt_ms(ours['cpu'])} ms vs {fmt_ms(arb['cpu'])} ms) | {'met' if ratio <= 1.5 else '**missed**'} |")
    certified = checkers.get('CertifiedCheck/53')
    if certified:
        ratio = certified['ratio_to_double_check']
        lines.append(f"| certified check <= 20 x the double check (checkers_bench CertifiedCheck/53, default ladder, "
                     f"deciding at {certified['deciding_bits']:.0f} bits) | {ratio:.1f} x | "
                     f"{'met' if ratio <= 20 else '**missed**'} |")
    return lines + ['']


def training_section(training):
    lines = ['### Gradient-descent step vs precision (training_bench)', '',
             'One full-batch step (loss_and_gradient + gradient_step), ms per step (CPU time of the single thread); '
             'x double = CPU time / CPU time of the double step of the same problem.', '']
    problems = [('reference', 'reference (N 1000, d 784, 1024-512-256-128-10)'),
                ('medium', 'medium (N 200, d 196, 256-128-64-10)'),
                ('small', 'small (N 100, d 49, 128-64-32-10)')]
    bits_list = [0, 53, 113, 256, 512, 1024]
    header = '| problem | ' + ' | '.join('double' if b == 0 else f'{b} bits' for b in bits_list) + ' |'
    lines += [header, '|---|' + '---:|' * len(bits_list)]
    for key, label in problems:
        double = training.get(f'gd_step_{key}/bits:0')
        if not double:
            continue
        cells = []
        for bits in bits_list:
            entry = training.get(f'gd_step_{key}/bits:{bits}')
            if not entry:
                cells.append('-')
            elif bits == 0:
                cells.append(f"{fmt_ms(entry['cpu'])} ms ({entry['GFLOP/s']:.1f} GFLOP/s)")
            else:
                cells.append(f"{fmt_ms(entry['cpu'])} ms ({entry['cpu'] / double['cpu']:,.0f} x)")
        lines.append(f'| {label} | ' + ' | '.join(cells) + ' |')
    lines += ['', 'The reference problem runs one step per precision (113, 256, 1024 bits; 53 and 512 are left '
              'out to keep run_all.sh short). `53 bits` is MPFR at 53 bits (55 carried): the cost of MPFR itself.', '']
    return lines


PROFILE_COLUMNS = [('medium', 'double'), ('small', '256'), ('medium', '256'), ('reference', '256'), ('medium', '1024')]
PRODUCT_COMPONENTS = ('forward_products', 'gradient_products', 'back_products')


def mpfr_profile_section(results):
    """Where a step spends its time, by problem and precision (peer/step_profile)."""
    columns = []
    for problem, precision in PROFILE_COLUMNS:
        path = os.path.join(results, f'profile-{problem}-{precision}.json')
        if os.path.exists(path):
            with open(path) as handle:
                data = json.load(handle)
            columns.append((problem, precision, data['repeats'], data['median_seconds']))
    if not columns:
        return []
    components = list(PRODUCT_COMPONENTS) + ['activation', 'activation_derivative', 'hadamard', 'loss', 'update']
    header = '| component | ' + ' | '.join(f"{problem}, {'double' if p == 'double' else p + ' bits'} ms (share)"
                                           for problem, p, _, _ in columns) + ' |'
    repeats = ', '.join(f"{problem} {'double' if p == 'double' else p + ' bits'} {r}" for problem, p, r, _ in columns)
    lines = ['### Where a step spends its time, by problem and precision (peer/step_profile)', '',
             f'Median wall ms over the repeats ({repeats}) of each operation of a step, timed one by one with '
             'the library calls and reused buffers of the training loop; share = fraction of the whole step. '
             '`non-product work` is the sum of the components other than the three kinds of products, with `other` '
             '(the MPFR target of issue 18: <= 30 % of the step at 256 bits). With one repeat (reference, 256 '
             'bits) the components can add up to more than the step, timed apart.', '',
             header, '|---|' + '---:|' * len(columns)]
    for component in components + ['other', 'step', 'non-product work']:
        cells = []
        for _, _, _, split in columns:
            if component == 'other':
                value = max(split['step'] - sum(split.get(c, 0.0) for c in components), 0.0)
            elif component == 'non-product work':  # the timed non-product components and `other`
                value = sum(split.get(c, 0.0) for c in components if c not in PRODUCT_COMPONENTS)
                value += max(split['step'] - sum(split.get(c, 0.0) for c in components), 0.0)
            else:
                value = split.get(component, 0.0)
            cells.append(f"{fmt_ms(1e3 * value)} ({100 * value / split['step']:.0f}%)")
        label = f'**{component}**' if component == 'non-product work' else component
        lines.append(f'| {label} | ' + ' | '.join(cells) + ' |')
    return lines + ['']


def products_section(linalg):
    lines = ['### Matrix products (linalg_bench)', '',
             'n x n times n x n, ms per product (CPU time); operands with full-length mantissas. '
             '`multiply` is the project\'s MPFR product (exact conversion to Arb, arb_mat_approx_mul, rounding back).',
             '']
    doubles = sorted((int(k.split(':')[1]), v) for k, v in linalg.items() if k.startswith('product_double/'))
    if doubles:
        lines += ['| double (OpenBLAS dgemm on 64-column panels) n | ' + ' | '.join(str(n) for n, _ in doubles) + ' |',
                  '|---|' + '---:|' * len(doubles),
                  '| ms | ' + ' | '.join(fmt_ms(v['cpu']) for _, v in doubles) + ' |',
                  '| GFLOP/s | ' + ' | '.join(f"{v['GFLOP/s']:.1f}" for _, v in doubles) + ' |', '']
    single = sorted((int(k.split(':')[1]), v) for k, v in linalg.items() if k.startswith('product_double_one_dgemm/'))
    if single:
        lines += ['One dgemm call over all columns (no panels, what the bit identity across thread counts costs): ' +
                  '; '.join(f"n = {n}: {fmt_ms(v['cpu'])} ms, panels / one call "
                            f"{linalg[f'product_double/n:{n}']['cpu'] / v['cpu']:.2f}"
                            for n, v in single if f'product_double/n:{n}' in linalg) + '.', '']
    lines += ['| n | bits | multiply (Mpfr) | arb_mat_approx_mul | arb_mat_mul | multiply / approx_mul '
              '| multiply / double GEMM |', '|---:|---:|---:|---:|---:|---:|---:|']
    keys = sorted({(int(m.group(1)), int(m.group(2))) for k in linalg
                   for m in [re.match(r'product_mpfr/n:(\d+)/bits:(\d+)$', k)] if m})
    for n, bits in keys:
        ours = linalg.get(f'product_mpfr/n:{n}/bits:{bits}')
        approx = linalg.get(f'product_arb_approx_mul/n:{n}/bits:{bits}')
        rigorous = linalg.get(f'product_arb_mul/n:{n}/bits:{bits}')
        double = linalg.get(f'product_double/n:{n}')
        ratio_approx = f"{ours['cpu'] / approx['cpu']:.2f}" if approx else '-'
        ratio_double = f"{ours['cpu'] / double['cpu']:,.0f}" if double else '-'
        lines.append(f"| {n} | {bits} | {fmt_ms(ours['cpu'])} | {fmt_ms(approx['cpu']) if approx else '-'} "
                     f"| {fmt_ms(rigorous['cpu']) if rigorous else '-'} | {ratio_approx} | {ratio_double} |")
    generic = [(k, v) for k, v in linalg.items() if k.startswith('product_mpfr_eigen_generic/')]
    if generic:
        lines += ['', 'Eigen\'s generic product on Boost mpfr_float (the path `multiply` replaces): ' + '; '.join(
            f"{k.split('/', 1)[1]}: {fmt_ms(v['cpu'])} ms"
            + (f" ({v['cpu'] / linalg[k.replace('_eigen_generic', '')]['cpu']:.0f} x multiply)"
               if k.replace('_eigen_generic', '') in linalg else '') for k, v in sorted(generic))]
    return lines + ['']


def scaling_section(scaling, training):
    lines = ['### Scaling of a step (scaling_bench)', '',
             'ms per step (CPU time); exponent = least-squares slope of log(time) against log(N) or log(width factor).',
             '']
    series = [('scaling_double_samples', 'double, vs N (d 784, 1024-512-256-128-10)', 'n', 'N'),
              ('scaling_double_width', 'double, vs width (N 1000, d 784, (1024-512-256-128) x w)', 'w', 'w'),
              ('scaling_mpfr256_samples', '256 bits, vs N (d 49, 128-64-32-10)', 'n', 'N'),
              ('scaling_mpfr256_width', '256 bits, vs width (N 100, d 49, (128-64-32) x w)', 'w', 'w')]
    fits = {}
    lines += ['| series | points (x: ms) | fitted exponent |', '|---|---|---:|']
    for prefix, label, arg, shown in series:
        points = []
        for k, v in scaling.items():
            m = re.match(prefix + r'/n:(\d+)/w:(\d+)$', k)
            if m:
                x = 10 * int(m.group(1)) if arg == 'n' else int(m.group(2)) / 100
                points.append((x, v['cpu']))
        points.sort()
        if len(points) < 2:
            continue
        exponent = fit_exponent([p[0] for p in points], [p[1] for p in points])
        fits[prefix] = (exponent, points)
        shown_points = ', '.join(f"{shown}={p[0]:g}: {fmt_ms(p[1])}" for p in points)
        lines.append(f'| {label} | {shown_points} | {exponent:.2f} |')
    return lines + ['']


def metrics_section(metrics):
    if not metrics:
        return []
    lines = ['### Per-layer measurement report (metrics_bench, reference problem, double)', '',
             '| benchmark | ms (wall) | cost in GD steps |', '|---|---:|---:|']
    for name, v in metrics.items():
        steps = f"{v['gd_steps']:.2f}" if 'gd_steps' in v else '-'
        lines.append(f"| {name} | {fmt_ms(v['real'])} | {steps} |")
    return lines + ['', 'Budget (metrics issue): a report costs at most 5 GD steps.', '']


def checkers_section(checkers):
    if not checkers:
        return []
    lines = ['### Checkers (checkers_bench, end-to-end network: K 4, n 6, d 30, 64-32-16-8-4)', '',
             '| benchmark | ms (wall) | ratio to the double check | deciding bits |', '|---|---:|---:|---:|']
    for name, v in checkers.items():
        ratio = f"{v['ratio_to_double_check']:.1f}" if 'ratio_to_double_check' in v else '-'
        bits = f"{v['deciding_bits']:.0f}" if 'deciding_bits' in v else '-'
        lines.append(f"| {name} | {fmt_ms(v['real'])} | {ratio} | {bits} |")
    return lines + ['']


def main():
    results, readme = sys.argv[1], sys.argv[2]
    with open(os.path.join(results, 'machine.json')) as handle:
        machine = json.load(handle)
    linalg = load_benchmarks(os.path.join(results, 'linalg.json'))
    training = load_benchmarks(os.path.join(results, 'training.json'))
    scaling = load_benchmarks(os.path.join(results, 'scaling.json'))
    metrics = load_benchmarks(os.path.join(results, 'metrics.json'))
    checkers = load_benchmarks(os.path.join(results, 'checkers.json'))
    peer, peer_md = {}, ''
    if os.path.exists(os.path.join(results, 'peer', 'peer.json')):
        with open(os.path.join(results, 'peer', 'peer.json')) as handle:
            peer = json.load(handle)
        with open(os.path.join(results, 'peer', 'peer.md')) as handle:
            peer_md = handle.read()

    lines = ['_Generated by `bench/run_all.sh`; do not edit by hand._', '']
    lines += machine_section(machine)
    lines += targets_section(peer, linalg, checkers)
    if peer_md:
        lines += ['### Peer comparison: ncverify double vs PyTorch float64 (bench/peer/compare_pytorch.sh)', '',
                  peer_md.rstrip(), '']
    for extra in sorted(glob.glob(os.path.join(results, 'peer-threads-*', 'peer.md'))):
        threads = os.path.basename(os.path.dirname(extra)).rsplit('-', 1)[1]
        with open(extra) as handle:
            lines += [f'#### The same with {threads} threads (reference problem; the machine has {machine["cores"]} '
                      f'cores, load average {machine["loadavg_before"]} before the run)', '', handle.read().rstrip(), '']
    lines += training_section(training)
    lines += mpfr_profile_section(results)
    lines += products_section(linalg)
    lines += scaling_section(scaling, training)
    lines += metrics_section(metrics)
    lines += checkers_section(checkers)
    text = '\n'.join(lines).rstrip() + '\n'
    with open(os.path.join(results, 'tables.md'), 'w') as handle:
        handle.write(text)

    with open(readme) as handle:
        content = handle.read()
    if BEGIN not in content or END not in content:
        sys.exit(f'make_tables.py: {readme} has no {BEGIN} ... {END} markers')
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(readme, 'w') as handle:
        handle.write(head + BEGIN + '\n' + text + END + tail)
    print(text)


if __name__ == '__main__':
    main()
