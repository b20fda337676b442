#!/usr/bin/python3
"""Independent reference values for the TypeScript Pine v6 indicators (math-service/src/core/indicators).

Written from the Pine v6 reference semantics (docs/pine.md) with numpy/pandas, on
purpose with different algorithms from the TypeScript streaming code:
  - sma / Bollinger basis: pandas rolling mean (pandas' own compensated rolling sums)
  - stdev: two-pass per window over numpy sliding windows, deviations |x - mean| <= 1e-10 snapped to 0
    as in the Pine reference's `pine_stdev` example (its "15" branch is a documentation bug, not ported)
  - ema / rma: explicit recursion prev + alpha*(x - prev), seeded with np.mean of the first `length`
    non-na values (pairwise summation, not the TypeScript sequential sum)
  - vwap: pandas groupby(UTC day).cumsum() of src*volume and volume; Σv == 0 -> NaN
  - rsi: diff / clip / rma, TradingView's built-in formula (down == 0 -> 100, up == 0 -> 0)
  - atr: rma of true range, first bar high - low
  - VWAP mean-reversion signal: close < vwap - 2*stdev(hlc3, 50) and close > ema(close, 50) and
    close > close[1]

Each fixture covers one window [fromMs, toMs) of a real candle file; indicators start on the window's
first bar (as the TypeScript tests do when they read the same window). Values are stored at sample bars
(warm-up, zero-volume stretches, a regular stride) with 13 significant digits; NaN (Pine na) is null.

Usage: /usr/bin/python3 scripts/reference-indicators/generate.py [ohlcv_dir]
       (env REF_OUT_DIR=dir REF_FULL_PRECISION=1 writes unrounded values elsewhere, to measure errors)
"""
import datetime
import json
import os
import sys

import numpy as np
import pandas as pd

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OHLCV = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('HFQ_OHLCV_DIR') or os.path.join(REPO, '..', 'shared', 'data', 'ohlcv')
OUT = os.environ.get('REF_OUT_DIR') or os.path.join(REPO, 'math-service', 'src', 'core', 'indicators', '__fixtures__')
# REF_FULL_PRECISION=1 keeps every double exactly (repr), to measure the TypeScript error itself.
FULL = os.environ.get('REF_FULL_PRECISION') == '1'
DAY_MS = 86_400_000

# (fixture name, file, first row, number of bars, why)
WINDOWS = [
    ('btcusdt-1h-start', 'BTCUSDT-1h.csv', 0, 5000,
     'file start 2017-08-17 04:00 (partial first day), zero-volume bar 2017-09-06 16:00, 2018-02-08/09 outage'),
    ('btcusdt-1h-2023-halt', 'BTCUSDT-1h.csv', 46000, 5000,
     'starts mid-day 2022-11-21 03:00, includes the zero-volume bar 2023-03-24 12:00 and the Binance halt'),
    ('ethusdt-1h-start', 'ETHUSDT-1h.csv', 0, 5000,
     'file start, zero-volume bars 2017-08-19 23:00, 2017-09-06 16:00, 2017-09-09 20:00'),
    ('btcusdt-1m-2023-halt', 'BTCUSDT-1m-2023.csv', 8000, 5000,
     'starts 2023-03-22 11:35, 72 zero-volume minutes 2023-03-24 11:28-12:38 then the 80-minute halt gap'),
    ('maticusdt-1h-micro', 'MATICUSDT-1h.csv', 0, 3000,
     'micro-priced series (0.004-0.04 USDT), zero-volume bar 2019-06-07 21:00'),
]


def pine_sma(x, n):
    return x.rolling(n).mean().to_numpy()


def pine_stdev(x, n, biased=True):
    a = x.to_numpy(dtype=float)
    out = np.full(len(a), np.nan)
    if len(a) < n:
        return out
    w = np.lib.stride_tricks.sliding_window_view(a, n)
    mean = w.mean(axis=1)
    dev = w - mean[:, None]
    dev[np.abs(dev) <= 1e-10] = 0.0
    ss = (dev * dev).sum(axis=1)
    out[n - 1:] = np.sqrt(ss / (n if biased else n - 1))
    return out


def seeded_exp_average(x, n, alpha):
    a = np.asarray(x, dtype=float)
    out = np.full(len(a), np.nan)
    seen = []
    prev = np.nan
    for i, v in enumerate(a):
        if np.isnan(v):
            out[i] = prev
            continue
        if len(seen) < n:
            seen.append(v)
            if len(seen) == n:
                prev = float(np.mean(seen))
        else:
            prev = prev + alpha * (v - prev)
        out[i] = prev
    return out


def pine_ema(x, n):
    return seeded_exp_average(x, n, 2.0 / (n + 1))


def pine_rma(x, n):
    return seeded_exp_average(x, n, 1.0 / n)


def pine_vwap(src, vol, t, session_offset_ms=0):
    day = (t - session_offset_ms) // DAY_MS
    pv = (src * vol).groupby(day).cumsum()
    v = vol.groupby(day).cumsum()
    return (pv / v).where(v > 0).to_numpy()


def pine_rsi(x, n):
    ch = x.diff()
    up = pine_rma(ch.clip(lower=0).to_numpy(), n)
    down = pine_rma((-ch).clip(lower=0).to_numpy(), n)
    with np.errstate(divide='ignore', invalid='ignore'):
        r = 100 - 100 / (1 + up / down)
    r = np.where(down == 0, 100.0, np.where(up == 0, 0.0, r))
    return np.where(np.isnan(up) | np.isnan(down), np.nan, r)


def pine_atr(h, l, c, n):
    pc = c.shift(1)
    tr = pd.concat([h - l, (h - pc).abs(), (l - pc).abs()], axis=1).max(axis=1, skipna=False)
    tr.iloc[0] = h.iloc[0] - l.iloc[0]
    return pine_rma(tr.to_numpy(), n)


def fmt(v):
    v = float(v)
    if np.isnan(v):
        return None
    return v if FULL else float('%.13g' % v)


def build(name, file, first, count, why):
    df = pd.read_csv(os.path.join(OHLCV, file))
    w = df.iloc[first:first + count].reset_index(drop=True)
    from_ms = int(w.timestamp.iloc[0])
    to_ms = int(w.timestamp.iloc[-1]) + 1
    o, h, l, c, v, t = w.open, w.high, w.low, w.close, w.volume, w.timestamp
    hlc3 = (h + l + c) / 3

    vwap = pine_vwap(hlc3, v, t)
    sd50 = pine_stdev(hlc3, 50)
    ema50 = pine_ema(c.to_numpy(), 50)
    bb_basis = pine_sma(c, 20)
    bb_dev = 2.0 * pine_stdev(c, 20)
    series = {
        'hlc3': hlc3.to_numpy(),
        'sma_close_20': pine_sma(c, 20),
        'ema_close_9': pine_ema(c.to_numpy(), 9),
        'ema_close_50': ema50,
        'rma_close_14': pine_rma(c.to_numpy(), 14),
        'stdev_hlc3_50': sd50,
        'stdev_close_20_sample': pine_stdev(c, 20, biased=False),
        'vwap_hlc3': vwap,
        'vwap_hlc3_session_2100utc': pine_vwap(hlc3, v, t, 21 * 3_600_000),
        'rsi_close_14': pine_rsi(c, 14),
        'bb_close_20_2_basis': bb_basis,
        'bb_close_20_2_upper': bb_basis + bb_dev,
        'bb_close_20_2_lower': bb_basis - bb_dev,
        'atr_14': pine_atr(h, l, c, 14),
        'vmr_lower_band': vwap - sd50 * 2.0,
        'vmr_upper_band': vwap + sd50 * 2.0,
    }

    cn = c.to_numpy()
    prev = np.concatenate([[np.nan], cn[:-1]])
    with np.errstate(invalid='ignore'):
        long_signal = (cn < vwap - sd50 * 2.0) & (cn > ema50) & (cn > prev)
    signal_bars = [int(i) for i in np.flatnonzero(long_signal)]

    zero = np.flatnonzero(v.to_numpy() == 0)
    samples = set(range(0, min(count, 80)))
    samples.update(range(0, count, 61))
    for z in zero:
        samples.update(range(max(0, z - 3), min(count, z + 55), 2))
        samples.update(range(max(0, z - 3), min(count, z + 4)))
    samples.update(signal_bars)
    samples.add(count - 1)
    samples = sorted(samples)

    return {
        'provenance': {
            'script': 'scripts/reference-indicators/generate.py',
            'python': sys.version.split()[0],
            'numpy': np.__version__,
            'pandas': pd.__version__,
            'generatedAt': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            'precision': ('full double' if FULL else '13 significant digits') + '; null = Pine na',
        },
        'file': file,
        'why': why,
        'firstRow': first,
        'fromMs': from_ms,
        'toMs': to_ms,
        'bars': count,
        'zeroVolumeBars': [int(z) for z in zero],
        'sampleBars': samples,
        'series': {k: [fmt(arr[i]) for i in samples] for k, arr in series.items()},
        'vwapMeanReversion': {
            'params': {'stdevLength': 50, 'deviationThreshold': 2.0, 'trendEmaLength': 50, 'stopPct': 0.03},
            'longSignalBars': signal_bars,
            'stop': [fmt(cn[i] * (1 - 0.03)) for i in signal_bars],
            'target': [fmt(vwap[i]) for i in signal_bars],
        },
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, file, first, count, why in WINDOWS:
        fx = build(name, file, first, count, why)
        path = os.path.join(OUT, name + '.json')
        with open(path, 'w') as f:
            json.dump(fx, f, separators=(',', ':'))
            f.write('\n')
        print('%s: %d samples, %d signals, %d zero-volume bars, %d bytes' % (
            path, len(fx['sampleBars']), len(fx['vwapMeanReversion']['longSignalBars']),
            len(fx['zeroVolumeBars']), os.path.getsize(path)))


if __name__ == '__main__':
    main()
