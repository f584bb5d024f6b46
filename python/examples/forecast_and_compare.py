"""Forecast a plan, plot its S-curve, and compare a what-if scenario.

Run from the repository root (or anywhere):

    python python/examples/forecast_and_compare.py [OUTDIR]

Charts are written to OUTDIR (default: a new temporary directory).
matplotlib is optional: without it, the engine's own SVG chart is saved.
"""

import datetime as dt
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import slipcast

# The bundled example data, found from this file (works from any directory).
ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "data" / "examples" / "checkout-v2.csv"
RISKS = ROOT / "data" / "examples" / "checkout-v2-risks.csv"
START = "2027-01-04"


def day(text):
    """'2027-04-27' -> 'Tue 2027-04-27'."""
    return dt.date.fromisoformat(text).strftime("%a %Y-%m-%d")


def plot_s_curve(f, path):
    """Save the S-curve (empirical CDF of the finishes) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # draw to a file, no window
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    # Sorted finishes against the share of iterations finished by then.
    days = np.sort(f.finish_days)
    share = np.arange(1, days.size + 1) / days.size
    # About 2,000 points are plenty for a smooth curve.
    step = max(1, days.size // 2000)
    x = np.append(days[::step], days[-1])
    y = np.append(share[::step], 1.0)

    # Cut off the far tail (top 0.1%) so the curve stays readable.
    left, right = days[0] - 1, np.quantile(days, 0.999) + 1

    fig, ax = plt.subplots(figsize=(9, 5.5))
    ax.plot(x, y, color="#1f4e79", linewidth=2, label="Chance of finishing by then")

    # Mark P50/P80/P90: guides from each point to the axes, labelled with
    # the date and the working days.
    s = f.summary
    for p, color in ((50, "#2e7d32"), (80, "#e65100"), (90, "#b71c1c")):
        d, q = s["duration"][f"p{p}"], p / 100
        ax.plot([left, d], [q, q], color=color, linestyle=":", linewidth=1.2)
        ax.plot([d, d], [0, q], color=color, linestyle=":", linewidth=1.2)
        ax.plot(d, q, "o", color=color)
        ax.text(
            left + 0.4,
            q + 0.012,
            f"P{p}: {day(s['finish'][f'p{p}'])} ({d:.1f} working days)",
            color=color,
            fontsize=9,
            va="bottom",
        )

    ax.set_xlim(left, right)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"Working days from the start ({day(START)})")
    ax.set_ylabel("Chance of finishing by then")
    ax.set_title(f"checkout-v2: finish S-curve ({days.size:,} iterations)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    # Where to write charts: the first argument, or a new temporary directory.
    if len(sys.argv) > 1:
        outdir = Path(sys.argv[1])
        outdir.mkdir(parents=True, exist_ok=True)
    else:
        outdir = Path(tempfile.mkdtemp(prefix="slipcast-example-"))

    # 1. Forecast the plan with its risk register (1,000,000 iterations).
    f = slipcast.forecast(PLAN, start=START, risks=RISKS)

    print(f.commitment)
    print()
    finish, duration = f.summary["finish"], f.summary["duration"]
    for p in (50, 80, 90):
        print(f"P{p}: {day(finish[f'p{p}'])}  ({duration[f'p{p}']:.1f} working days)")

    print()
    print("Top 5 drivers (working days each adds to P50/P80/P90):")
    top = f.drivers.head(5)[["kind", "id", "p50_days", "p80_days", "p90_days"]]
    print(top.to_string(index=False, float_format="{:.2f}".format))

    # 2. The S-curve: a PNG with matplotlib, else the engine's SVG chart.
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        chart = outdir / "finish.svg"
        chart.write_text(f.chart_svg(), encoding="utf-8")
        print()
        print("matplotlib is not installed (pip install matplotlib for a PNG);")
        print(f"wrote slipcast's own finish chart instead: {chart}")
    else:
        chart = outdir / "s-curve.png"
        plot_s_curve(f, chart)
        print()
        print(f"S-curve: {chart}")

    # 3. A what-if in pandas: fix pen-test findings faster.
    #    Read every cell as text, so the CSV round-trips unchanged.
    plan = pd.read_csv(PLAN, dtype=str, keep_default_na=False)
    row = plan["id"] == "pen-test-fixes"
    print()
    print(f"What if: pen-test-fixes high estimate {plan.loc[row, 'high'].item()} -> 6 working days")
    plan.loc[row, "high"] = "6"

    # Both scenarios keep the risk register, so "as planned" matches the forecast above.
    cmp = slipcast.compare(
        {
            "as planned": {"plan": PLAN, "risks": RISKS},
            "faster pen-test fixes": {"plan": plan, "risks": RISKS},
        },
        start=START,
        iterations=200_000,
    )

    # One row per scenario; the delta_* columns are versus the first (NaN for it).
    columns = [
        "label",
        "finish_p50",
        "finish_p80",
        "finish_p90",
        "delta_p80_days_estimate",
        "delta_p80_days_low",
        "delta_p80_days_high",
    ]
    print()
    print(cmp.scenarios[columns].to_string(index=False, float_format="{:.2f}".format))
    print()
    print(cmp.text)
    print(f"Charts are in {outdir}")


if __name__ == "__main__":
    main()
