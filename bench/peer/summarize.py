#!/usr/bin/python3
"""Summary of bench/peer/compare_pytorch.sh's runs (standard library only).

usage: summarize.py OUT_DIR --check-steps S --problems P [P ...]

Reads OUT_DIR/problems/P.json and OUT_DIR/runs/P-{ncverify,pytorch}-R.json, and writes
OUT_DIR/peer.json and OUT_DIR/peer.md (also printed):
  - time per step of a side = median over runs of (median over the run's steps), wall
    clock and process CPU time; ratio = ncverify / PyTorch (< 1: ncverify is faster);
  - agreement: C_lambda(theta_S) of both first runs (S = check steps), asserted to agree
    to <= 1e-10 relative; also the largest relative difference along the trajectory,
    and whether every run of a side reproduced the first run's losses bit for bit.
Exit status 1 when an agreement check fails.
"""
import argparse
import glob
import json
import os
import statistics
import sys

TOLERANCE = 1e-10
COMPONENTS = ['forward_products', 'activation', 'loss', 'gradient_products', 'back_products',
              'activation_derivative', 'hadamard', 'update']


def load_runs(out_dir, problem, side):
    files = sorted(glob.glob(os.path.join(out_dir, 'runs', f'{problem}-{side}-[0-9]*.json')),
                   key=lambda f: int(f.rsplit('-', 1)[1].split('.')[0]))
    runs = []
    for f in files:
        with open(f) as handle:
            runs.append(json.load(handle))
    return runs


def median_step(runs, key):
    return statistics.median(statistics.median(r[key]) for r in runs)


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('out_dir')
    parser.add_argument('--check-steps', type=int, default=100)
    parser.add_argument('--problems', nargs='+', required=True)
    parser.add_argument('--profile-problems', nargs='*', default=[])
    args = parser.parse_args()

    rows, failures, torch_info = [], [], None
    for problem in args.problems:
        with open(os.path.join(args.out_dir, 'problems', f'{problem}.json')) as handle:
            description = json.load(handle)
        ours, theirs = load_runs(args.out_dir, problem, 'ncverify'), load_runs(args.out_dir, problem, 'pytorch')
        if not ours or not theirs:
            sys.exit(f'summarize.py: no runs for {problem} in {args.out_dir}/runs')
        torch_info = {k: theirs[0][k] for k in ('torch_version', 'torch_threads', 'blas_library', 'blas_core',
                                                 'openblas_coretype_env', 'torch_config')}
        a, b = ours[0]['losses'], theirs[0]['losses']
        if ours[0]['steps'] != args.check_steps or theirs[0]['steps'] != args.check_steps:
            sys.exit(f'summarize.py: the first runs of {problem} did not run {args.check_steps} steps')
        final_difference = relative(a[-1], b[-1])
        trajectory_difference = max(relative(x, y) for x, y in zip(a, b))
        agrees = final_difference <= TOLERANCE
        if not agrees:
            failures.append(problem)
        reproducible = {
            side: all(r['losses'] == runs[0]['losses'][:len(r['losses'])] for r in runs)
            for side, runs in (('ncverify', ours), ('pytorch', theirs))
        }
        row = {
            'problem': problem,
            'samples': description['samples'],
            'input_dim': description['input_dim'],
            'widths': description['widths'],
            'parameters': description['parameters'],
            'threads': ours[0]['threads'],
            'ncverify_blas': ours[0].get('blas', 'unknown'),
            'runs': [len(ours), len(theirs)],
            'ncverify_ms': 1e3 * median_step(ours, 'step_seconds'),
            'pytorch_ms': 1e3 * median_step(theirs, 'step_seconds'),
            'ncverify_cpu_ms': 1e3 * median_step(ours, 'step_cpu_seconds'),
            'pytorch_cpu_ms': 1e3 * median_step(theirs, 'step_cpu_seconds'),
            'check_steps': args.check_steps,
            'ncverify_loss': a[-1],
            'pytorch_loss': b[-1],
            'final_relative_difference': final_difference,
            'max_trajectory_relative_difference': trajectory_difference,
            'agrees': agrees,
            'bitwise_reproducible': reproducible,
        }
        row['ratio'] = row['ncverify_ms'] / row['pytorch_ms']
        row['cpu_ratio'] = row['ncverify_cpu_ms'] / row['pytorch_cpu_ms']
        rows.append(row)

    lines = [
        '| problem | N | d | widths | weights | threads | ncverify ms/step | PyTorch ms/step | ratio (wall) '
        '| ncverify CPU ms | PyTorch CPU ms | ratio (CPU) |',
        '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ]
    for r in rows:
        lines.append(f"| {r['problem']} | {r['samples']} | {r['input_dim']} | {'-'.join(map(str, r['widths']))} "
                     f"| {r['parameters']:,} | {r['threads']} | {r['ncverify_ms']:.3g} | {r['pytorch_ms']:.3g} "
                     f"| **{r['ratio']:.2f}** | {r['ncverify_cpu_ms']:.3g} | {r['pytorch_cpu_ms']:.3g} "
                     f"| {r['cpu_ratio']:.2f} |")
    lines += ['', f'Agreement after {args.check_steps} steps (C_lambda, asserted <= {TOLERANCE:g} relative):', '',
              '| problem | ncverify C_lambda | PyTorch C_lambda | rel. difference | max along trajectory '
              '| verdict | bit-reproducible runs (ncverify / PyTorch) |',
              '|---|---:|---:|---:|---:|---|---|']
    for r in rows:
        lines.append(f"| {r['problem']} | {r['ncverify_loss']:.17g} | {r['pytorch_loss']:.17g} "
                     f"| {r['final_relative_difference']:.1e} | {r['max_trajectory_relative_difference']:.1e} "
                     f"| {'agrees' if r['agrees'] else 'DISAGREES'} "
                     f"| {'yes' if r['bitwise_reproducible']['ncverify'] else 'no'} / "
                     f"{'yes' if r['bitwise_reproducible']['pytorch'] else 'no'} |")
    blas = torch_info['blas_library']
    config = torch_info['torch_config']
    build = [item for item in ('BLAS_INFO', 'LAPACK_INFO', 'USE_MKLDNN', 'USE_OPENMP')
             if f'{item}=' in config]
    build = ', '.join(config.split(f'{item}=', 1)[1].split(',', 1)[0].join([f'{item}=', '']) for item in build)
    capability = next((line.strip() for line in config.splitlines() if 'CPU capability' in line), '')
    lines += ['', f"PyTorch {torch_info['torch_version']} (Debian python3-torch), torch.set_num_threads("
              f"{rows[0]['threads']}) -> {torch_info['torch_threads']} threads; BLAS loaded: `{blas}`, "
              f"OpenBLAS core `{torch_info['blas_core']}` (OPENBLAS_CORETYPE="
              f"{torch_info['openblas_coretype_env'] or 'unset'}); `torch.__config__.show()`: {build}; "
              f"{capability.lstrip('- ')}. ncverify: `{rows[0]['ncverify_blas']}`, "
              f"{rows[0]['threads']} OpenMP thread(s). Each side: {rows[0]['runs'][0]} runs, alternated A B A B."]
    profiles = {}
    for problem in args.profile_problems:
        split = {}
        for side in ('ncverify', 'pytorch'):
            with open(os.path.join(args.out_dir, 'runs', f'{problem}-{side}-profile.json')) as handle:
                split[side] = json.load(handle)['median_seconds']
        profiles[problem] = split
        lines += ['', f'Timing split of one step, {problem} problem (median ms over '
                  f'repeats; `other` = step - sum of the components: forward-pass copies, allocation):', '',
                  '| component | ncverify ms | PyTorch ms | ncverify / PyTorch |', '|---|---:|---:|---:|']
        for component in COMPONENTS + ['other', 'step']:
            values = []
            for side in ('ncverify', 'pytorch'):
                s = split[side]
                if component == 'other':
                    values.append(max(s['step'] - sum(s.get(c, 0.0) for c in COMPONENTS), 0.0))
                else:
                    values.append(s.get(component, 0.0))
            ratio = f'{values[0] / values[1]:.2f}' if values[1] > 0 else '-'
            lines.append(f'| {component} | {1e3 * values[0]:.3g} | {1e3 * values[1]:.3g} | {ratio} |')
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(args.out_dir, 'peer.md'), 'w') as handle:
        handle.write(text)
    with open(os.path.join(args.out_dir, 'peer.json'), 'w') as handle:
        json.dump({'rows': rows, 'torch': torch_info, 'tolerance': TOLERANCE, 'profiles': profiles}, handle, indent=1)
    print(text)
    if failures:
        print(f'summarize.py: AGREEMENT CHECK FAILED for {", ".join(failures)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
