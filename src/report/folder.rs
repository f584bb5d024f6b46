//! The report folder: `index.html`, `summary.md`, every chart as PNG and
//! SVG, and the standard exports, written atomically.
//!
//! The folder is built in a temporary folder beside the target and renamed
//! into place, so readers see the previous report or the new one, never a
//! mix. An existing target is replaced only if it is empty or is itself a
//! slipcast report (it has `index.html` and `forecast.json`): `--out .` or a
//! typo never deletes someone's files.

use std::fs;
use std::path::{Path, PathBuf};

use crate::analysis::Forecast;

use super::chart::Chart;
use super::document::Document;
use super::{ExportError, html, markdown, standard_exporters};

/// Files that mark a folder as a slipcast report.
const MARKERS: [&str; 2] = ["index.html", "forecast.json"];

fn io(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks, before any simulation runs, that a report can be written to
/// `dir`: its parent can be created and written, and `dir` is absent, empty
/// or a previous report.
///
/// # Errors
///
/// [`ExportError::Io`] naming the folder, or [`ExportError::Occupied`] if
/// `dir` holds other files.
pub fn check_report_dir(dir: &Path) -> Result<(), ExportError> {
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    tempfile::Builder::new()
        .prefix(".slipcast-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    replaceable(dir)
}

fn replaceable(dir: &Path) -> Result<(), ExportError> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(dir)(e)),
        Ok(m) if !m.is_dir() => Err(ExportError::Occupied {
            path: dir.display().to_string(),
        }),
        Ok(_) => {
            let empty = fs::read_dir(dir).map_err(io(dir))?.next().is_none();
            if empty || MARKERS.iter().all(|m| dir.join(m).is_file()) {
                Ok(())
            } else {
                Err(ExportError::Occupied {
                    path: dir.display().to_string(),
                })
            }
        }
    }
}

/// Renders the report of `f` into `dir` (replacing a previous report there)
/// and returns the paths written, `index.html` first.
///
/// Cost: draws every chart twice (PNG and SVG); well under a second each in
/// a release build.
///
/// # Errors
///
/// [`ExportError::Io`], [`ExportError::Occupied`], [`ExportError::Chart`] or
/// [`ExportError::Format`]; on error `dir` is left as it was.
pub fn write_report(dir: &Path, f: &Forecast) -> Result<Vec<PathBuf>, ExportError> {
    replaceable(dir)?;
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let mut files = Vec::new();
    let put = |files: &mut Vec<String>, file: &str, bytes: &[u8]| {
        let path = tmp.path().join(file);
        fs::write(&path, bytes).map_err(io(&dir.join(file)))?;
        files.push(file.to_string());
        Ok::<(), ExportError>(())
    };
    let charts = Chart::all(f);
    let mut svgs = Vec::new();
    for c in &charts {
        let stem = c.kind().file_stem();
        let svg = c.svg().map_err(|e| e.in_dir(dir))?;
        let png = c.png().map_err(|e| e.in_dir(dir))?;
        put(&mut files, &format!("{stem}.png"), &png)?;
        put(&mut files, &format!("{stem}.svg"), svg.as_bytes())?;
        svgs.push((c.kind(), svg));
    }
    let doc = Document::new(f, &charts);
    let page = html::render(&doc, |k| {
        svgs.iter()
            .find(|(kind, _)| *kind == k)
            .map(|(_, s)| s.clone())
    });
    put(&mut files, "summary.md", markdown::render(&doc).as_bytes())?;
    for e in standard_exporters() {
        put(&mut files, e.file_name(), &e.serialize(f)?)?;
    }
    put(&mut files, "index.html", page.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in &files {
            let p = tmp.path().join(file);
            fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).map_err(io(&p))?;
        }
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755))
            .map_err(io(tmp.path()))?;
    }
    for file in &files {
        let p = tmp.path().join(file);
        fs::File::open(&p)
            .and_then(|h| h.sync_all())
            .map_err(io(&p))?;
    }
    swap_into_place(tmp.keep(), dir)?;
    files.sort_by_key(|f| (f != "index.html", f.clone()));
    Ok(files.into_iter().map(|f| dir.join(f)).collect())
}

/// Renames the finished folder `new` to `dir`. An existing `dir` is first
/// renamed aside, and removed once the new folder is in place (or renamed
/// back if that fails).
fn swap_into_place(new: PathBuf, dir: &Path) -> Result<(), ExportError> {
    let cleanup = |e: ExportError| {
        let _ = fs::remove_dir_all(&new);
        e
    };
    if !dir.exists() {
        return fs::rename(&new, dir).map_err(io(dir)).map_err(cleanup);
    }
    let parent = parent_of(dir);
    let old = tempfile::Builder::new()
        .prefix(".slipcast-old-")
        .tempdir_in(&parent)
        .map_err(io(&parent))
        .map_err(cleanup)?
        .keep();
    // `old` exists (empty); renaming a folder over an empty one is allowed.
    fs::rename(dir, &old).map_err(io(dir)).map_err(cleanup)?;
    if let Err(e) = fs::rename(&new, dir) {
        let _ = fs::rename(&old, dir);
        return Err(cleanup(io(dir)(e)));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}
