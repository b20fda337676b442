#!/usr/bin/env python3
"""Reference numbers for the risk-math core (math-service/src/core/{metrics,var}).

Builds deterministic return series (fixed numpy seeds), runs them through the established
libraries and writes the expected values, with their provenance, to

  math-service/src/core/metrics/__fixtures__/reference.json   (empyrical performance metrics)
  math-service/src/core/var/__fixtures__/var-reference.json   (VaR / CVaR)

Libraries are NOT vendored. Check them out outside the repository and point the script at them:

  # empyrical (quantopian/empyrical, pure Python) and PerformanceAnalytics (R package from source)
  git clone <quantopian/empyrical> /tmp/riskref/empyrical
  git clone <braverock/PerformanceAnalytics> /tmp/riskref/PerformanceAnalytics
  apt-get install -y python3-numpy python3-pandas python3-scipy \
      r-base-core r-cran-xts r-cran-zoo r-cran-quadprog
  R CMD INSTALL -l /tmp/riskref/Rlib /tmp/riskref/PerformanceAnalytics
  EMPYRICAL_DIR=/tmp/riskref/empyrical PA_LIB=/tmp/riskref/Rlib \
      /usr/bin/python3 scripts/reference/generate_reference.py

Who computes what:
  - Sharpe, Sortino, annual volatility, CAGR, total return, max drawdown, Calmar, Omega, tail
    ratio: empyrical (its own functions, called below).
  - Max drawdown duration: empyrical has none; computed here with pandas, independently of the
    TypeScript code, under the project's definition (peak -> recovery, or -> end).
  - Historical VaR / CVaR: empyrical.value_at_risk / conditional_value_at_risk, cross-checked
    against PerformanceAnalytics VaR(method="historical").
  - Parametric and Cornish-Fisher VaR / CVaR: PerformanceAnalytics, run in R. The raw estimator
    functions (VaR.Gaussian, ES.Gaussian, VaR.CornishFisher, operES.CornishFisher) are called
    so the signed value is visible, and the public VaR()/ES(method="modified") are called too to
    show where PerformanceAnalytics itself answers NA ("inverse risk").

Mapping from library output to the expected JSON value (the tests compare at 1e-9 relative):
  - NaN or +/-inf                                -> null
  - Sharpe: sample std <= 1e-10 * max|r| (floating-point-noise variance, where empyrical prints
    ~1e16) -> null; annual volatility in that case -> 0 (a constant series has no volatility).
  - max drawdown: empyrical reports a negative number; the project reports its magnitude.
  - VaR / CVaR: empyrical reports the return quantile (negative = loss); the project reports
    the loss as a positive fraction, so expected = -empyrical.
  - Cornish-Fisher: raw PerformanceAnalytics value < 0 (quantile is a gain) or non-finite -> null
    (PerformanceAnalytics' public VaR()/ES() return NA in exactly these cases). PerformanceAnalytics
    also clamps results above 1 to 1; the project does not clamp, so the raw value is expected.
  - Cornish-Fisher on a zero-variance series: PerformanceAnalytics returns NaN (its
    .skewEst/.kurtEst zero guard uses all.equal() on a named vector, which never matches, so
    0/0 reaches the result); the project returns null with a reason, so expected = null.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
EMPYRICAL_DIR = Path(os.environ.get("EMPYRICAL_DIR", "/tmp/riskref/empyrical"))
PA_LIB = os.environ.get("PA_LIB", "/tmp/riskref/Rlib")
sys.path.insert(0, str(EMPYRICAL_DIR))

import warnings  # noqa: E402

warnings.filterwarnings("ignore")
import empyrical  # noqa: E402

NOISE_RELATIVE_STD = 1e-10
CONFIDENCES = [0.95, 0.99]


def build_series() -> list[dict]:
    """Deterministic return series; every generator has its own fixed seed."""
    series: list[dict] = []

    def add(name: str, returns, periods_per_year: int, note: str) -> None:
        values = [float(x) for x in np.asarray(returns, dtype=np.float64)]
        series.append({"name": name, "periodsPerYear": periods_per_year, "note": note, "returns": values})

    rng = np.random.default_rng(1)
    add("normal_daily", rng.normal(0.0008, 0.02, 500), 365, "Gaussian daily returns, seed 1")
    add("zero_variance_constant", [0.001] * 60, 365, "constant +0.1%: std is floating-point noise")
    add("zero_returns", [0.0] * 40, 365, "all returns exactly 0")
    rng = np.random.default_rng(2)
    add("all_positive", rng.uniform(0.001, 0.02, 250), 365, "uniform gains, no losing period, seed 2")
    rng = np.random.default_rng(3)
    add("all_negative", -rng.uniform(0.001, 0.02, 250), 365, "uniform losses, seed 3")
    rng = np.random.default_rng(4)
    add("student_t_fat_tails", rng.standard_t(3, 1000) * 0.01, 365, "Student-t (3 dof) * 1%, seed 4")
    rng = np.random.default_rng(5)
    crash = rng.normal(0.0005, 0.01, 300)
    crash[150] = -0.6
    add("single_huge_outlier_crash", crash, 365, "N(0.05%, 1%) with one -60% day at index 150, seed 5")
    rng = np.random.default_rng(6)
    spike = rng.normal(0.0, 0.01, 300)
    spike[42] = 3.0
    add("single_huge_outlier_spike", spike, 365, "N(0, 1%) with one +300% day at index 42, seed 6")
    add("short_two", [0.01, -0.02], 365, "two returns")
    add("short_three", [0.05, -0.03, 0.02], 365, "three returns")
    rng = np.random.default_rng(7)
    long_dd = np.concatenate(
        [rng.normal(0.002, 0.01, 100), rng.normal(-0.003, 0.01, 300), rng.normal(0.0015, 0.01, 200)]
    )
    add("long_drawdown", long_dd, 365, "rally, 300-day slide, partial recovery, seed 7")
    rng = np.random.default_rng(8)
    lottery = 0.001 + rng.normal(0.0, 0.0005, 500) + 0.3 * (rng.random(500) < 0.02)
    add("positive_skew_lottery", lottery, 8760, "small steady gains plus rare +30% hours, seed 8")
    rng = np.random.default_rng(9)
    add("minute_normal", rng.normal(0.00001, 0.001, 2000), 525600, "minute bars, seed 9")
    rng = np.random.default_rng(10)
    recovered = np.concatenate([[0.05, 0.02], [-0.1, -0.05], rng.normal(0.01, 0.002, 30)])
    add("drawdown_recovered", recovered, 365, "drawdown that recovers, then new highs, seed 10")
    add("single_return", [0.01], 365, "one return")
    return series


def raw(value) -> float | str:
    """JSON-safe raw library value (NaN / inf as strings)."""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def finite_or_none(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def drawdown_duration(returns: np.ndarray) -> int | None:
    """Periods from the peak of the deepest drawdown to recovery (or to the end); pandas only."""
    if len(returns) == 0:
        return None
    equity = pd.Series(np.concatenate([[1.0], np.cumprod(1.0 + returns)]))
    running_peak = equity.cummax()
    depth = (running_peak - equity) / running_peak
    if not (depth > 0).any():
        return 0
    trough = int(depth.values.argmax())  # first deepest point
    peak_level = running_peak.iloc[trough]
    peak = int(equity.iloc[: trough + 1][equity.iloc[: trough + 1] >= peak_level].index.max())
    after = equity.iloc[trough + 1 :]
    recovered = after[after >= equity.iloc[peak]]
    end = int(recovered.index.min()) if len(recovered) else len(returns)
    return end - peak


def metrics_reference(entry: dict) -> dict:
    r = np.asarray(entry["returns"], dtype=np.float64)
    p = entry["periodsPerYear"]
    n = len(r)
    std = float(np.std(r, ddof=1)) if n >= 2 else float("nan")
    noise = n >= 2 and std <= NOISE_RELATIVE_STD * float(np.max(np.abs(r)))
    calls = {
        "totalReturnRatio": ("cum_returns_final(returns, starting_value=0)", empyrical.cum_returns_final(r, starting_value=0)),
        "cagrRatio": ("cagr(returns, annualization=P)", empyrical.cagr(r, annualization=p)),
        "annualVolatilityRatio": ("annual_volatility(returns, annualization=P)", empyrical.annual_volatility(r, annualization=p)),
        "sharpeRatio": ("sharpe_ratio(returns, annualization=P)", empyrical.sharpe_ratio(r, annualization=p)),
        "sortinoRatio": ("sortino_ratio(returns, annualization=P)", empyrical.sortino_ratio(r, annualization=p)),
        "maxDrawdownRatio": ("max_drawdown(returns)", empyrical.max_drawdown(r)),
        "calmarRatio": ("calmar_ratio(returns, annualization=P)", empyrical.calmar_ratio(r, annualization=p)),
        "omegaRatio": ("omega_ratio(returns, risk_free=0, required_return=0, annualization=1)", empyrical.omega_ratio(r, 0.0, 0.0, annualization=1)),
        "tailRatio": ("tail_ratio(returns)", empyrical.tail_ratio(r)),
    }
    expected = {name: finite_or_none(value) for name, (_, value) in calls.items()}
    if noise or n < 2:
        expected["sharpeRatio"] = None
    if noise:
        expected["annualVolatilityRatio"] = 0.0
    if expected["maxDrawdownRatio"] is not None:
        expected["maxDrawdownRatio"] = -expected["maxDrawdownRatio"] + 0.0
    expected["maxDrawdownDurationPeriods"] = drawdown_duration(r)
    expected["periods"] = n
    return {
        "name": entry["name"],
        "expected": expected,
        "empyricalRaw": {name: raw(value) for name, (_, value) in calls.items()},
        "noiseVariance": bool(noise),
    }


R_SCRIPT = r"""
suppressMessages(library(PerformanceAnalytics, lib.loc = Sys.getenv("PA_LIB")))
args <- commandArgs(trailingOnly = TRUE)
files <- readLines(args[1])
confs <- as.numeric(strsplit(args[2], ",")[[1]])
fmt <- function(x) if (is.na(x)) "NA" else sprintf("%.17g", x)
for (f in files) {
  r <- scan(f, quiet = TRUE)
  m <- matrix(r, ncol = 1)
  for (p in confs) {
    vals <- c(
      PerformanceAnalytics:::VaR.Gaussian(m, p)[[1]],
      PerformanceAnalytics:::ES.Gaussian(m, p)[[1]],
      PerformanceAnalytics:::VaR.CornishFisher(m, p)[[1]],
      PerformanceAnalytics:::operES.CornishFisher(m, p)[[1]],
      suppressMessages(VaR(r, p = p, method = "modified", invert = FALSE))[1],
      suppressMessages(ES(r, p = p, method = "modified", invert = FALSE))[1],
      suppressMessages(VaR(r, p = p, method = "historical", invert = FALSE))[1]
    )
    cat(basename(f), p, sapply(vals, fmt), "\n", sep = "\t")
  }
}
"""


def run_performance_analytics(series: list[dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for entry in series:
            path = Path(tmp) / entry["name"]
            path.write_text("\n".join(repr(x) for x in entry["returns"]) + "\n")
            paths.append(str(path))
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "pa.R"
        script.write_text(R_SCRIPT)
        out = subprocess.run(
            ["Rscript", str(script), str(listing), ",".join(repr(c) for c in CONFIDENCES)],
            check=True, capture_output=True, text=True, env={**os.environ, "PA_LIB": PA_LIB},
        ).stdout
    results: dict = {}
    for line in out.strip().splitlines():
        cells = [c for c in line.split("\t") if c != ""]
        name, conf = cells[0], float(cells[1])
        nums = [float("nan") if c == "NA" else float(c) for c in cells[2:9]]
        results[(name, conf)] = nums
    return results


def var_reference(series: list[dict]) -> list[dict]:
    pa = run_performance_analytics(series)
    cases = []
    for entry in series:
        r = np.asarray(entry["returns"], dtype=np.float64)
        for confidence in CONFIDENCES:
            cutoff = 1 - confidence
            g_var, g_es, cf_var, cf_es, pa_mod_var, pa_mod_es, pa_hist_var = pa[(entry["name"], confidence)]
            hist_var = -float(empyrical.value_at_risk(r, cutoff=cutoff)) + 0.0
            hist_cvar = -float(empyrical.conditional_value_at_risk(r, cutoff=cutoff)) + 0.0
            cf_var_expected = cf_var if math.isfinite(cf_var) and cf_var >= 0 else None
            cf_es_expected = cf_es if math.isfinite(cf_es) and cf_es >= 0 else None
            cases.append({
                "name": entry["name"],
                "confidence": confidence,
                "historical": {"var": hist_var, "cvar": hist_cvar},
                "parametric": {"var": finite_or_none(g_var), "cvar": finite_or_none(g_es)},
                "cornish_fisher": {"var": cf_var_expected, "cvar": cf_es_expected},
                "raw": {
                    "empyrical_value_at_risk": raw(empyrical.value_at_risk(r, cutoff=cutoff)),
                    "empyrical_conditional_value_at_risk": raw(empyrical.conditional_value_at_risk(r, cutoff=cutoff)),
                    "pa_VaR_historical": raw(pa_hist_var),
                    "pa_VaR.Gaussian": raw(g_var),
                    "pa_ES.Gaussian": raw(g_es),
                    "pa_VaR.CornishFisher": raw(cf_var),
                    "pa_operES.CornishFisher": raw(cf_es),
                    "pa_VaR_modified_public": raw(pa_mod_var),
                    "pa_ES_modified_public": raw(pa_mod_es),
                },
            })
    return cases


def git_commit(path: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    except Exception:  # noqa: BLE001 - provenance is best effort
        return "unknown"


def main() -> None:
    series = build_series()
    r_version = subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True).stdout
    pa_version = subprocess.run(
        ["Rscript", "-e", f'cat(as.character(packageVersion("PerformanceAnalytics", lib.loc="{PA_LIB}")))'],
        capture_output=True, text=True,
    ).stdout
    provenance = {
        "generatedBy": "scripts/reference/generate_reference.py",
        "generatedAtUtc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "empyrical": {
            "repository": "github.com/quantopian/empyrical",
            "commit": git_commit(EMPYRICAL_DIR),
            "version": "0.5.5 (+1 commit)",
            "module": "empyrical/stats.py",
        },
        "PerformanceAnalytics": {
            "repository": "github.com/braverock/PerformanceAnalytics",
            "commit": git_commit(EMPYRICAL_DIR.parent / "PerformanceAnalytics"),
            "version": pa_version,
            "R": r_version,
            "functions": "VaR.Gaussian, ES.Gaussian, VaR.CornishFisher, operES.CornishFisher (R/PortfolioRisk.R); VaR(), ES() public wrappers",
        },
        "mapping": __doc__.split("Mapping from library output")[1].strip(),
    }
    metrics = {
        "provenance": provenance,
        "tolerance": {"relative": 1e-9, "absoluteFloorForZero": 1e-15},
        "series": series,
        "cases": [metrics_reference(entry) for entry in series],
    }
    var_cases = var_reference(series)
    metrics_path = REPO / "math-service/src/core/metrics/__fixtures__/reference.json"
    var_path = REPO / "math-service/src/core/var/__fixtures__/var-reference.json"
    metrics_path.parent.mkdir(parents=True, exist_ok=True)
    var_path.parent.mkdir(parents=True, exist_ok=True)
    metrics_path.write_text(json.dumps(metrics, indent=1) + "\n")
    var_doc = {
        "provenance": provenance,
        "tolerance": {"relative": 1e-9, "absoluteFloorForZero": 1e-15},
        "seriesFile": "../../metrics/__fixtures__/reference.json",
        "cases": var_cases,
    }
    var_path.write_text(json.dumps(var_doc, indent=1) + "\n")
    print(f"wrote {metrics_path.relative_to(REPO)} ({len(series)} series) and {var_path.relative_to(REPO)} ({len(var_cases)} cases)")


if __name__ == "__main__":
    main()
