"""gigasim from Python: run a scenario as `gigasim run` does, and read its
results as a dict and pandas DataFrames.

    import gigasim
    r = gigasim.run("scenarios/eu-gigafactory-1gw.cfg", replications=50,
                    set={"racks.crews": 80})
    r.summary["time_to_first_token_days"]["p50"]
    r.replications            # one row per replication, every metric
    r.series                  # one row per step: medians, P10 and P90
    r.to_dir("out/eu")        # the command line's files, byte for byte

The C library (libgigasim.so) does the work through ctypes, which lets go of
Python's global lock while it runs; an error raises gigasim.Error with the
command line's message (the file, the line and the key). compare() runs
scenarios with common random numbers and gives their paired differences;
sweep() runs one key over values.
"""

import ctypes
import json
import os
import shutil
import tempfile

__all__ = ["Error", "Run", "run", "compare", "sweep", "metrics", "version"]


class Error(Exception):
    """What gigasim refused or could not do, in the command line's words."""


def _find_library():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.environ.get("GIGASIM_LIB"), os.path.join(here, "libgigasim.so")):
        if path and os.path.exists(path):
            return path
    raise Error("libgigasim.so not found: `make python` builds it (build/libgigasim.so; "
                "GIGASIM_LIB=path), `make install` puts it beside this module")


_lib = ctypes.CDLL(_find_library())
_lib.gigasim_version.restype = ctypes.c_char_p
_lib.gigasim_run_scenario.restype = ctypes.c_void_p
_lib.gigasim_run_scenario.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long,
                                      ctypes.c_uint, ctypes.c_char_p, ctypes.c_size_t]
_lib.gigasim_write_with.restype = ctypes.c_int
_lib.gigasim_write_with.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
_lib.gigasim_free.argtypes = [ctypes.c_void_p]
_lib.gigasim_metric_count.restype = ctypes.c_size_t
for _name in ("gigasim_metric_name", "gigasim_metric_unit", "gigasim_metric_description"):
    getattr(_lib, _name).restype = ctypes.c_char_p
    getattr(_lib, _name).argtypes = [ctypes.c_size_t]


def version():
    """The library's version."""
    return _lib.gigasim_version().decode()


def metrics():
    """Every output figure: a list of (name, unit, description)."""
    return [(_lib.gigasim_metric_name(i).decode(), _lib.gigasim_metric_unit(i).decode(),
             _lib.gigasim_metric_description(i).decode()) for i in range(_lib.gigasim_metric_count())]


def _sets(set):
    """{"key": value} as --set's KEY=VALUE (a string quoted, as a scenario writes one; KEY* and KEY+ as *= and +=)."""
    items = []
    for key, value in (set or {}).items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, str) and not key.endswith(("*", "+")):
            value = json.dumps(value)
        items.append(f"{key}={value}".encode())
    return items


class Run:
    """One scenario's replications: summary (dict), replications, series and
    years (pandas DataFrames), read from the files gigasim wrote for it."""

    def __init__(self, directory, tmp=None):
        self.directory = directory
        self._tmp = tmp  # removed with the Run
        with open(os.path.join(directory, "summary.json")) as f:
            self.summary = json.load(f)
        self._frames = {}

    def _frame(self, name):
        if name not in self._frames:
            import pandas
            path = os.path.join(self.directory, name)
            self._frames[name] = pandas.read_csv(path) if os.path.exists(path) else None
        return self._frames[name]

    @property
    def replications(self):
        """One row per replication, every metric (NaN where a milestone was not reached)."""
        return self._frame("replications.csv")

    @property
    def series(self):
        """One row per step: medians, with P10 and P90 beside each."""
        return self._frame("series.csv")

    @property
    def years(self):
        """The site by calendar year over its life (years.csv; None without money)."""
        return self._frame("years.csv")

    def figure(self, metric, q="p50"):
        """A figure's "p10", "p50", "p90" or "mean" as summary.json gives it (None: not reached)."""
        node = self.summary
        for part in metric.split("."):
            node = node[part]
        return node[q]

    @property
    def dataset(self):
        """Every replication's series and metrics as an xarray Dataset (run(..., netcdf=True))."""
        import xarray
        return xarray.open_dataset(self._netcdf())

    def to_netcdf(self, path):
        """series.nc (run(..., netcdf=True)) copied to path, byte for byte the command line's."""
        shutil.copyfile(self._netcdf(), path)

    def _netcdf(self):
        path = os.path.join(self.directory, "series.nc")
        if not os.path.exists(path):
            raise Error("no series.nc: run(..., netcdf=True) writes it")
        return path

    def to_dir(self, directory):
        """The run's files into directory (new or empty), byte for byte the command line's."""
        if os.path.exists(directory) and os.listdir(directory):
            raise Error(f"{directory}: not empty: gigasim writes only into a new or empty directory")
        shutil.copytree(self.directory, directory, dirs_exist_ok=True)

    def __del__(self):
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)


def run(scenario, replications=0, set=None, threads=0, netcdf=False):
    """Runs scenario (a file) as `gigasim run` does: replications (0: the
    scenario's), set ({"key": value}, as --set), threads (0: the cores);
    netcdf: also every replication's series in series.nc (Run.dataset,
    Run.to_netcdf), as `gigasim run --format netcdf`."""
    items = _sets(set)
    arr = (ctypes.c_char_p * (len(items) + 1))(*items, None)
    err = ctypes.create_string_buffer(2048)
    r = _lib.gigasim_run_scenario(os.fsencode(scenario), arr, int(replications), int(threads), err, len(err))
    if not r:
        raise Error(err.value.decode())
    tmp = tempfile.mkdtemp(prefix="gigasim-")
    out = os.path.join(tmp, "run")
    try:
        if _lib.gigasim_write_with(r, os.fsencode(out), int(bool(netcdf)), err, len(err)) != 0:
            raise Error(err.value.decode())
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _lib.gigasim_free(r)
    return Run(out, tmp)


def compare(scenarios, replications=0, set=None, metrics=("time_to_first_token_days", "time_to_full_capacity_days",
                                                            "money.lifetime.npv")):
    """Runs each scenario with its own seed and the same replications
    (common random numbers when they share a seed, as the bundled ones do),
    and gives a DataFrame of the paired differences of each metric against
    the first scenario: one row per replication and pair."""
    import pandas
    runs = [run(s, replications=replications, set=set) for s in scenarios]
    base = runs[0].replications
    rows = []
    for s, r in zip(scenarios[1:], runs[1:]):
        for m in metrics:
            d = r.replications[m] - base[m]
            rows.append({"scenario": s, "metric": m, "mean": d.mean(), "p10": d.quantile(0.1), "p50": d.median(),
                         "p90": d.quantile(0.9), "n_pairs": int(d.notna().sum())})
    return runs, pandas.DataFrame(rows)


def sweep(scenario, key, values, replications=0, set=None, metric="time_to_first_token_days"):
    """Runs scenario at each value of key (the same seed: common random
    numbers) and gives a DataFrame of the metric's P10, P50 and P90 at each,
    as summary.json gives them (a milestone missed counts as later than any
    reached)."""
    import pandas
    rows = []
    for v in values:
        r = run(scenario, replications=replications, set={**(set or {}), key: v})
        rows.append({"value": v, "p10": r.figure(metric, "p10"), "p50": r.figure(metric, "p50"),
                     "p90": r.figure(metric, "p90")})
    return pandas.DataFrame(rows)
