//! The Python module `gongkai._native`, re-exported by the `gongkai`
//! package (python/gongkai). A report crosses into Python as its JSON,
//! written in Rust and read by `json.loads`, so the dict is exactly what
//! `gongkai parse` prints. Parsing runs with the GIL released.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use gongkai::ordered::Ordered;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyIterator, PyList, PyString, PyTuple, PyType};
use serde_json::Value;

/// `gongkai.ReadError`, defined in Python (python/gongkai/_errors.py) so it
/// prints like the command line's error line.
static READ_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// What parsing one input gave, before the GIL is taken to build objects.
enum Parsed {
    /// The report's compact JSON.
    Json(String),
    /// No report: the path as in the JSON and why.
    Failed { path: String, message: String },
}

/// Parse one file or buffer on this thread (with the `provenance` object
/// when asked); a panic (a bug in gongkai) becomes a message instead of
/// unwinding into Python.
fn parse(path: &Path, bytes: Option<&[u8]>, provenance: bool) -> Result<String, Failure> {
    let opts = gongkai::Options {
        provenance,
        text: false,
    };
    let run = || -> Result<String, Failure> {
        let report = match bytes {
            Some(b) => gongkai::parse_named_with(b, path, opts),
            None => gongkai::parse_file_with(path, opts),
        }
        .map_err(Failure::Read)?;
        serde_json::to_string(&report).map_err(|e| Failure::Bug(e.to_string()))
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|p| {
        Err(Failure::Bug(format!(
            "parser crashed (please report): {}",
            gongkai::batch::panic_message(p.as_ref())
        )))
    })
}

/// Why one input gave no report JSON.
enum Failure {
    Read(gongkai::Error),
    Bug(String),
}

impl Failure {
    fn into_pyerr(self, py: Python<'_>, path: &Path) -> PyErr {
        match self {
            Failure::Bug(why) => PyRuntimeError::new_err(format!("{}: {why}", path.display())),
            Failure::Read(e) => {
                // Like any OSError: the OS error number, why, which file.
                let errno = match &e {
                    gongkai::Error::Read { io, .. } => io.raw_os_error(),
                    _ => None,
                };
                let args = (errno, e.reason(), path.display().to_string());
                match READ_ERROR.import(py, "gongkai._errors", "ReadError") {
                    Ok(class) => PyErr::from_type(class.clone(), args),
                    Err(import) => import,
                }
            }
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Read(e) => e.reason(),
            Failure::Bug(why) => why.clone(),
        }
    }
}

fn loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    JSON_LOADS.import(py, "json", "loads")?.call1((json,))
}

/// Parse one report file: the dict equals `json.loads` of `gongkai parse
/// PATH` for the same path string (`provenance=True`: of `gongkai parse
/// --provenance PATH`). Raises `ReadError` when the file cannot be read or
/// is empty or binary.
#[pyfunction]
#[pyo3(signature = (path, *, provenance = false))]
fn parse_file(py: Python<'_>, path: PathBuf, provenance: bool) -> PyResult<Bound<'_, PyAny>> {
    match py.detach(|| parse(&path, None, provenance)) {
        Ok(json) => loads(py, &json),
        Err(f) => Err(f.into_pyerr(py, &path)),
    }
}

/// Parse a report held in memory; `path` is recorded as `source.path`.
/// Raises `ReadError` when the bytes are empty or binary.
#[pyfunction]
#[pyo3(signature = (data, path = "-", *, provenance = false))]
fn parse_bytes<'py>(
    py: Python<'py>,
    data: PyBackedBytes,
    path: &str,
    provenance: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let path = PathBuf::from(path);
    match py.detach(|| parse(&path, Some(&data), provenance)) {
        Ok(json) => loads(py, &json),
        Err(f) => Err(f.into_pyerr(py, &path)),
    }
}

/// The paths of a Python iterable, taken one at a time as the workers need
/// them (the GIL is held only for each step).
struct PyPaths(Py<PyIterator>);

impl Iterator for PyPaths {
    type Item = PyResult<PathBuf>;

    fn next(&mut self) -> Option<Self::Item> {
        Python::attach(|py| {
            let mut it = self.0.bind(py).clone();
            it.next().map(|p| p.and_then(|p| p.extract::<PathBuf>()))
        })
    }
}

/// What a worker hands back: a report, a file that gave none, or a path
/// that was not one (a `TypeError` to raise at its place).
type Item = Result<Parsed, PyErr>;

fn work(path: PyResult<PathBuf>, provenance: bool) -> Item {
    let path = path?;
    Ok(parse(&path, None, provenance).map_or_else(
        |f| Parsed::Failed {
            path: path.display().to_string(),
            message: f.message(),
        },
        Parsed::Json,
    ))
}

/// Iterator returned by `parse_files`: one dict per path, in input order.
#[pyclass(module = "gongkai", name = "ReportIterator")]
struct ReportIterator {
    inner: Mutex<Ordered<PyPaths, Item>>,
}

#[pymethods]
impl ReportIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let inner = &self.inner;
        let next = py.detach(|| match inner.lock() {
            Ok(mut it) => it.next(),
            Err(_) => Some(Err("an earlier call failed inside the iterator".into())),
        });
        match next {
            None => Ok(None),
            Some(Err(why)) => Err(PyRuntimeError::new_err(why)),
            Some(Ok(Err(e))) => Err(e),
            Some(Ok(Ok(Parsed::Json(json)))) => loads(py, &json).map(Some),
            Some(Ok(Ok(Parsed::Failed { path, message }))) => {
                let source = PyDict::new(py);
                source.set_item("path", path)?;
                let out = PyDict::new(py);
                out.set_item("source", source)?;
                out.set_item("error", message)?;
                Ok(Some(out.into_any()))
            }
        }
    }
}

/// Parse many files on `jobs` Rust threads (default: one per core) with
/// the GIL released; yield one dict per path in input order. A file that
/// gives no report yields `{"source": {"path": p}, "error": message}`.
#[pyfunction]
#[pyo3(signature = (paths, jobs = None, *, provenance = false))]
fn parse_files(
    paths: &Bound<'_, PyAny>,
    jobs: Option<usize>,
    provenance: bool,
) -> PyResult<ReportIterator> {
    if paths.is_instance_of::<PyString>() || paths.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "parse_files takes an iterable of paths, not one path",
        ));
    }
    if jobs == Some(0) {
        return Err(PyValueError::new_err("jobs must be at least 1"));
    }
    let paths = PyPaths(paths.try_iter()?.unbind());
    let inner = Ordered::new(paths, jobs.unwrap_or(0), move |p| work(p, provenance))
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok(ReportIterator {
        inner: Mutex::new(inner),
    })
}

/// The cells of a report dict, one dict per table value with the columns
/// of `cells.csv` (path, table, block, row, column, value, line, source):
/// `block` is "" for tables without blocks, a blank value is `None`, and
/// `line` and `source` come from the report's `provenance` (parsed with
/// `provenance=True`), `None` without it. A dict without tables (a file
/// that gave no report) has no cells.
#[pyfunction]
fn cells<'py>(report: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = report.py();
    let out = PyList::empty(py);
    let Ok(tables) = report.get_item("tables") else {
        return Ok(out);
    };
    let path = report.get_item("source")?.get_item("path")?;
    let json: String = JSON_DUMPS
        .import(py, "json", "dumps")?
        .call1((tables,))?
        .extract()?;
    let tables: serde_json::Map<String, Value> = serde_json::from_str(&json)
        .map_err(|e| PyValueError::new_err(format!("tables is not a JSON object: {e}")))?;
    let provenance: Option<serde_json::Map<String, Value>> = match report.get_item("provenance") {
        Ok(p) => {
            let json: String = JSON_DUMPS
                .import(py, "json", "dumps")?
                .call1((p,))?
                .extract()?;
            serde_json::from_str(&json).ok()
        }
        Err(_) => None,
    };
    for c in gongkai::cells::cells(&tables, provenance.as_ref()) {
        let row = PyDict::new(py);
        row.set_item("path", &path)?;
        row.set_item("table", c.table)?;
        row.set_item("block", c.block)?;
        row.set_item("row", c.row)?;
        row.set_item("column", c.column)?;
        row.set_item("value", number(py, c.value)?)?;
        row.set_item("line", c.line)?;
        row.set_item("source", c.source)?;
        out.append(row)?;
    }
    Ok(out)
}

/// A JSON number as a Python int (when whole in the JSON) or float.
fn number<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    let Value::Number(n) = v else {
        return Ok(py.None().into_bound(py));
    };
    if let Some(i) = n.as_i64() {
        Ok(i.into_pyobject(py)?.into_any())
    } else if let Some(u) = n.as_u64() {
        Ok(u.into_pyobject(py)?.into_any())
    } else {
        Ok(n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any())
    }
}

/// Whether `gongkai batch` reads this file when it finds it inside a
/// folder (its extension is one of `DEFAULT_EXTENSIONS`).
#[pyfunction]
fn batch_reads(path: PathBuf) -> bool {
    gongkai::batch::Filter::default().accepts(&path)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_file, m)?)?;
    m.add_function(wrap_pyfunction!(parse_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(parse_files, m)?)?;
    m.add_function(wrap_pyfunction!(cells, m)?)?;
    m.add_function(wrap_pyfunction!(batch_reads, m)?)?;
    m.add_class::<ReportIterator>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The extensions `gongkai batch` reads inside folders.
    m.add(
        "DEFAULT_EXTENSIONS",
        PyTuple::new(m.py(), gongkai::batch::Filter::DEFAULT)?,
    )?;
    Ok(())
}
