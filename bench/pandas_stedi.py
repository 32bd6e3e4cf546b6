"""bench/pandas_stedi.py — the STEDI pipeline in pandas (Debian python3-pandas).

read_json(lines=True, convert_dates=False) over the landing zone, the five
jobs as DataFrame operations, and the eight counts.  Debian 12 packages
neither pyarrow nor fastparquet, so the outputs are written as JSON lines
(what pandas can write here), not Parquet.  Timed in-process (after the
imports).  Prints one JSON line: {wall_ms, cpu_ms, max_rss_kb, counts}.
"""
import glob, json, os, resource, sys, time

import pandas as pd

landing, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
t0, c0 = time.perf_counter(), time.process_time()


def load(t):
    files = sorted(glob.glob(f"{landing}/{t}/landing/*.json"))
    return pd.concat([pd.read_json(f, lines=True, convert_dates=False) for f in files], ignore_index=True)


cust, acc, step = load("customer"), load("accelerometer"), load("step_trainer")
ct = cust[cust["shareWithResearchAsOfDate"].notna()]
at = acc.merge(ct[["email"]], left_on="user", right_on="email")[acc.columns]
cc = ct[ct["email"].isin(at["user"].unique())]
st = step[step["serialNumber"].isin(cc["serialNumber"])]
ml = st.merge(at[["timestamp", "x", "y", "z"]], left_on="sensorReadingTime", right_on="timestamp")
for name, df in [("customer_trusted", ct), ("accelerometer_trusted", at), ("customer_curated", cc),
                 ("step_trainer_trusted", st), ("machine_learning_curated", ml)]:
    df.to_json(f"{out}/{name}.json", orient="records", lines=True)
counts = [len(x) for x in (cust, acc, step, ct, at, cc, st, ml)]
print(json.dumps({"wall_ms": (time.perf_counter() - t0) * 1000, "cpu_ms": (time.process_time() - c0) * 1000,
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "counts": counts}))
