#!/usr/bin/python3
"""Tables for bench/big.sh: one row per run, then each 10x variant's cost per request
against its base (goal: within 1.5x), then peak RSS against run length (goal: within 10%).
With REPS > 1 the growth slices repeat (rep=K on their lines): a variant's ratio is taken
against the base of the same rep, run just before it, and the median over reps is shown
with the range (the machine's speed drifts over minutes; a pair does not).

Usage: big_table.py RAWFILE (lines "label=SCENARIO/VARIANT peer=... key=value ...")
"""
import statistics
import sys


def parse(line):
    return dict(tok.split('=', 1) for tok in line.split() if '=' in tok)


def main():
    rows = [parse(l) for l in open(sys.argv[1]) if l.startswith('label=')]
    print('| run | simulated | requests | ok | events | wall s | req/s | events/s | ns/req | CPU s | CPU ns/req | peak RSS MB |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|')
    by = {}   # label -> {rep: row}
    multi = any(r.get('rep', '1') != '1' for r in rows)
    for r in rows:
        rep = int(r.get('rep', '1'))
        by.setdefault(r['label'], {})[rep] = r
        name = r['label'] + (' (rep %d)' % rep if multi else '')
        print('| %s | %s s | %.3g | %.4f | %.3g | %.1f | %.3gM | %.3gM | %.0f | %.1f | %.0f | %.1f |'
              % (name, r['sim_s'], float(r['reqs']), float(r['ok']) / max(float(r['reqs']), 1),
                 float(r['events']), float(r['run_s']), float(r['req_rate']) / 1e6, float(r['ev_rate']) / 1e6,
                 float(r['ns_per_req']), float(r['cpu_s']), float(r['cpu_ns_per_req']), int(r['rss_kb']) / 1024))
    print()
    print('| scenario | variant | reps | wall ns/req | base | ratio (min..max) | CPU ns/req | base | ratio (min..max) '
          '| goal <= 1.5x (CPU) | peak RSS ratio |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    med = statistics.median
    for label, reps in by.items():
        scn, var = label.split('/', 1)
        base = by.get(scn + '/base')
        if not var.startswith('x10') or not base:
            continue
        ks = sorted(k for k in reps if k in base)
        if not ks:
            continue
        w = [float(reps[k]['ns_per_req']) / float(base[k]['ns_per_req']) for k in ks]
        c = [float(reps[k]['cpu_ns_per_req']) / float(base[k]['cpu_ns_per_req']) for k in ks]
        span = lambda v: '%.2fx' % med(v) + (' (%.2f..%.2f)' % (min(v), max(v)) if len(v) > 1 else '')
        print('| %s | %s | %d | %.0f | %.0f | %s | %.0f | %.0f | %s | %s | %.2fx |'
              % (scn, var, len(ks), med(float(reps[k]['ns_per_req']) for k in ks),
                 med(float(base[k]['ns_per_req']) for k in ks), span(w),
                 med(float(reps[k]['cpu_ns_per_req']) for k in ks), med(float(base[k]['cpu_ns_per_req']) for k in ks),
                 span(c), 'yes' if med(c) <= 1.5 else '**no**',
                 med(int(reps[k]['rss_kb']) / int(base[k]['rss_kb']) for k in ks)))
    rss = [(float(r[1]['reqs']), r[1]) for l, r in by.items() if '/rss-' in l]
    if len(rss) >= 2:
        rss.sort(key=lambda x: x[0])
        lo = rss[0][1]
        print()
        print('| RSS run | requests | peak RSS MB | vs %.0e requests | goal <= 1.10x |' % rss[0][0])
        print('|---|---|---|---|---|')
        for n, r in rss:
            q = int(r['rss_kb']) / int(lo['rss_kb'])
            print('| %s | %.3g | %.1f | %.3fx | %s |' % (r['label'], n, int(r['rss_kb']) / 1024, q,
                                                    'yes' if q <= 1.10 else '**no**'))


if __name__ == '__main__':
    main()
