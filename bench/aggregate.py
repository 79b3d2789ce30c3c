#!/usr/bin/python3
"""Aggregate the raw lines of bench/compare.sh into markdown.

Usage: aggregate.py RAWFILE LAMBDA MU K

Input: one line per measurement, "peer=NAME wl=hold|mmk|rss key=value ...",
as printed by the peers (../shared/peers/src), bench_hold and bench_web, with
rss_kb= (from /usr/bin/time %M) and rep= appended by compare.sh.

Output: (1) the per-row table in the peers' format (median rate and peak RSS
over repetitions), (2) the ratio table for fleetsim's goals, computed from
medians of the same run only.
"""
import math
import statistics
import sys
from collections import OrderedDict


def parse(line):
    d = {}
    for tok in line.split():
        if '=' in tok:
            k, v = tok.split('=', 1)
            d[k] = v
    return d


def erlang_c(c, a):
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b / (1.0 - a / c * (1.0 - b))


def fmt_rate(x):
    if x >= 1e6:
        return '%.2fM' % (x / 1e6)
    if x >= 1e3:
        return '%.0fk' % (x / 1e3)
    return '%.0f' % x


def main():
    raw, lam, mu, k = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    groups = OrderedDict()
    for line in open(raw):
        line = line.strip()
        if not line.startswith('peer='):
            continue
        d = parse(line)
        if d.get('wl') in ('hold', 'queue'):
            n = d.get('N', '?')
        elif d.get('wl') == 'rss':
            n = 'reqs=' + d.get('reqs', '?')
        else:
            n = 'K=' + d.get('K', '?')
        groups.setdefault((d['peer'], d['wl'], n), []).append(d)

    rho = lam / (k * mu)
    an_mean = 1.0 / (mu - lam / k)      # random splitting: each queue exactly M/M/1
    an_p99 = math.log(100.0) * an_mean
    mmk_bound = 1.0 / mu + erlang_c(k, lam / mu) / (k * mu - lam)  # M/M/K, one shared queue

    med = {}
    print('| peer | workload | N / K | ops or reqs per rep | reps | median rate | (min..max) | median peak RSS MB | check |')
    print('|---|---|---|---|---|---|---|---|---|')
    for (peer, wl, n), rows in groups.items():
        rss = [int(r['rss_kb']) / 1024.0 for r in rows if 'rss_kb' in r]
        rss_med = statistics.median(rss) if rss else float('nan')
        if wl == 'rss':
            run_s = statistics.median(float(r['run_s']) for r in rows)
            print('| %s | rss | %s | %s | %d | %.4g req/s | - | %.1f | run_s %.1f; mean resp %s; p99 %s |'
                  % (peer, n, rows[0]['reqs'], len(rows), statistics.median(float(r['rate']) for r in rows),
                     rss_med, run_s, rows[0].get('mean', '?'), rows[0].get('p99', '?')))
            med[(peer, wl, n)] = (None, rss_med)
            continue
        rates = [float(r['rate']) for r in rows]
        m_rate = statistics.median(rates)
        med[(peer, wl, n)] = (m_rate, rss_med)
        rng = '%.3g..%.3g' % (min(rates), max(rates))
        if wl in ('hold', 'queue'):
            ops = '%s (+%s warm-up)' % (rows[0].get('ops', '?'), rows[0].get('warm', '0'))
            simt = sorted(set(r.get('simtime', '?') for r in rows))
            pre = statistics.median(float(r.get('prefill_s', 'nan')) for r in rows)
            check = 'sim end t=%s; prefill %.2fs' % ('/'.join(simt), pre)
            unit = 'events/s'
            nfield = 'N=%s' % n
        else:
            ops = rows[0]['reqs']
            means = [float(r['mean']) for r in rows]
            cis = [float(r['ci95']) for r in rows]
            p99s = [float(r['p99']) for r in rows]
            m = statistics.fmean(means)
            ci = math.sqrt(sum(c * c for c in cis)) / len(cis)
            p99 = statistics.fmean(p99s)
            evr = statistics.median(float(r['ev_rate']) for r in rows)
            if peer.startswith('fleetsim') and not peer.endswith('-random'):
                check = ('mean resp %.3f +/- %.3f (%s routing: not random splitting; M/M/%d shared-queue bound %.3f, '
                         'random split %.3f); p99 %.2f; %.3g model events/s'
                         % (m, ci, peer.split('-', 1)[1], k, mmk_bound, an_mean, p99, evr))
            else:
                check = ('mean resp %.3f +/- %.3f vs analytic %.3f (%+.1f%%); p99 %.2f vs %.2f (%+.1f%%); '
                         '%.3g model events/s'
                         % (m, ci, an_mean, 100 * (m / an_mean - 1), p99, an_p99, 100 * (p99 / an_p99 - 1), evr))
            if all('engine_events' in r for r in rows):   # cimba: events run by its dispatcher (process wakeups too)
                eng = statistics.median(float(r['engine_events']) / float(r['run_s']) for r in rows)
                per_req = statistics.fmean(float(r['engine_events']) / float(r['reqs']) for r in rows)
                check += '; %.3g engine events/s (%.2f per request)' % (eng, per_req)
            unit = 'req/s'
            nfield = '%s rho=%.2f' % (n, rho)
        print('| %s | %s | %s | %s | %d | %.4g %s | %s | %.1f | %s |'
              % (peer, wl, nfield, ops, len(rows), m_rate, unit, rng, rss_med, check))

    # ------------------------------------------------------------ goals
    print()
    print('| comparison (medians, same run) | fleetsim | reference | ratio | goal | met |')
    print('|---|---|---|---|---|---|')

    def row(what, a, b, bname, goal, ok):
        print('| %s | %s | %s (%s) | %.2fx | %s | %s |'
              % (what, fmt_rate(a), fmt_rate(b), bname, a / b, goal, 'yes' if ok else '**no**'))

    for n in sorted({key[2] for key in med if key[1] == 'hold'}, key=lambda s: float(s)):
        fs = med.get(('fleetsim', 'hold', n))
        if not fs:
            continue
        ch = med.get(('c-heap', 'hold', n))
        ns3 = [(v[0], p) for (p, wl, nn), v in med.items() if wl == 'hold' and nn == n and p.startswith('ns3-')
               and '+' not in p]
        label = 'hold N=%.0e' % float(n)
        if ch:
            row(label + ' vs c-heap', fs[0], ch[0], 'c-heap', '>= 1x', fs[0] >= ch[0])
        if ns3:
            best, bname = max(ns3)
            row(label + ' vs ns-3 best', fs[0], best, bname, '>= 5x', fs[0] >= 5 * best)
        cb = med.get(('cimba', 'hold', n))
        if cb:
            row(label + ' vs Cimba (no goal)', fs[0], cb[0], 'cimba', '-', True)
        if ch and n == '1000000':
            print('| hold N=1e+06 peak RSS vs c-heap (no goal) | %.1f MB | %.1f MB (c-heap) | %.2fx | - | - |'
                  % (fs[1], ch[1], fs[1] / ch[1]))
    for n in sorted({key[2] for key in med if key[1] == 'queue'}, key=lambda s: float(s)):
        hp, ld = med.get(('fleetsim-heap', 'queue', n)), med.get(('fleetsim-ladder', 'queue', n))
        if hp and ld:
            print('| queue N=%.0e: ladder vs 4-ary heap (decides the queue) | %s | %s (heap) | %.2fx | - | - |'
                  % (float(n), fmt_rate(ld[0]), fmt_rate(hp[0]), ld[0] / hp[0]))
    ns3m = [(v[0], p) for (p, wl, nn), v in med.items() if wl == 'mmk' and p.startswith('ns3-')]
    for peer in ('fleetsim-lor', 'fleetsim-random', 'fleetsim-rr'):
        key = (peer, 'mmk', 'K=%d' % k)
        if key in med and ns3m:
            best, bname = max(ns3m)
            row('web tier %s (req/s) vs ns-3 best M/M/k' % peer.split('-', 1)[1], med[key][0], best, bname, '>= 3x',
                med[key][0] >= 3 * best)
        cm = med.get(('cimba', 'mmk', 'K=%d' % k))
        if key in med and cm:
            row('web tier %s (req/s) vs Cimba M/M/k' % peer.split('-', 1)[1], med[key][0], cm[0], 'cimba', '>= 1x',
                med[key][0] >= cm[0])
    rss = {n: v[1] for (p, wl, n), v in med.items() if wl == 'rss' and p == 'fleetsim-lor'}
    if len(rss) >= 2:
        ns = sorted(rss, key=lambda s: float(s.split('=')[1]))
        lo, hi = ns[0], ns[-1]
        r = rss[hi] / rss[lo]
        print('| peak RSS %s vs %s | %.1f MB | %.1f MB | %.3fx | <= 1.10x | %s |'
              % (hi, lo, rss[hi], rss[lo], r, 'yes' if r <= 1.10 else '**no**'))


if __name__ == '__main__':
    main()
