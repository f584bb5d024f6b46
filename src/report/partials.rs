//! A sharded run's partial files on disk: written atomically (never over
//! a file that is not a partial, or over an input), read back, and the
//! inputs they record checked against the files as they are now. The
//! command line's `--shard` and `merge` and the Python package share them.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::analysis::{InputDigest, PARTIAL_FORMAT, Partial, PartialHeader, Shard, Slice};
use crate::engine::Tallies;

use super::inert::visible;

/// A shard's partial of a run of `scenarios` scenarios (`command`: the
/// words that identify the run; `start`: the start it settled on when none
/// was given), with the digest of every input file, read now.
///
/// # Errors
///
/// An input that cannot be read.
pub fn shard_partial(
    shard: Shard,
    command: Vec<String>,
    start: Option<NaiveDate>,
    inputs: &[&Path],
    scenarios: u64,
    slices: Vec<(Slice, Tallies)>,
) -> Result<Partial, String> {
    let (seed, iterations) = slices
        .first()
        .map_or((0, 0), |(_, t)| (t.seed(), t.iterations()));
    let (slices, tallies): (Vec<Slice>, Vec<Tallies>) = slices.into_iter().unzip();
    let header = PartialHeader {
        format: PARTIAL_FORMAT,
        version: env!("CARGO_PKG_VERSION").into(),
        command,
        start: start.map(|d| d.to_string()),
        inputs: input_digests(inputs)?,
        seed,
        iterations,
        scenarios,
        slices,
        shards: vec![shard.to_string()],
    };
    Ok(Partial { header, tallies })
}

/// The digest of every input file, read again now.
pub fn input_digests(inputs: &[&Path]) -> Result<Vec<InputDigest>, String> {
    inputs
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).map_err(|e| {
                format!("could not read {} ({e})", visible(&p.display().to_string()))
            })?;
            Ok(InputDigest::of(&p.display().to_string(), &bytes))
        })
        .collect()
}

/// Writes `bytes` as `dir/name` through a temporary file and a rename,
/// refusing to replace a file that is not a partial, or an input.
///
/// # Errors
///
/// The file is an input or not a partial, or cannot be written.
pub fn write_partial_file(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    inputs: &[&Path],
) -> Result<PathBuf, String> {
    let shown = |p: &Path| visible(&p.display().to_string()).into_owned();
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("could not create the partial folder {} ({e})", shown(dir)))?;
    let path = dir.join(name);
    if let Ok(existing) = std::fs::canonicalize(&path) {
        if inputs
            .iter()
            .any(|i| std::fs::canonicalize(i).is_ok_and(|i| i == existing))
        {
            return Err(format!(
                "{} is an input of the run; slipcast never writes over an input",
                shown(&path)
            ));
        }
        let head = std::fs::read(&path).unwrap_or_default();
        if !Partial::looks_like(&head) {
            return Err(format!(
                "{} exists and is not a partial file slipcast wrote; move it, or give another \
                 --partial folder",
                shown(&path)
            ));
        }
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".slipcast-partial-");
    // Readable by the merge job, as a file written any other way would be.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| format!("could not write into {} ({e})", shown(dir)))?;
    let written = |e: std::io::Error| format!("could not write into {} ({e})", shown(dir));
    std::io::Write::write_all(&mut tmp, bytes).map_err(written)?;
    tmp.as_file().sync_all().map_err(written)?;
    tmp.persist(&path)
        .map_err(|e| format!("could not write {} ({})", shown(&path), e.error))?;
    Ok(path)
}

/// Reads every file as a partial; every file that is not one is named.
///
/// # Errors
///
/// Every file that cannot be read or is not a partial, one per line.
pub fn read_partials(files: &[PathBuf]) -> Result<Vec<(String, Partial)>, String> {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let name = f.display().to_string();
        match std::fs::read(f) {
            Err(e) => problems.push(format!("{name}: could not read it ({e})")),
            Ok(bytes) => match Partial::from_bytes(&bytes) {
                Ok(p) => parts.push((name, p)),
                Err(e) => problems.push(format!("{name}: {e}")),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    Ok(parts)
}

/// Refuses to finish a run whose inputs changed since its shards read them.
///
/// # Errors
///
/// Every input that changed or cannot be read, one per line, with the fix.
pub fn check_inputs(inputs: &[InputDigest]) -> Result<(), String> {
    let mut problems = Vec::new();
    for i in inputs {
        match std::fs::read(&i.path) {
            Err(e) => problems.push(format!(
                "{}: the shards read it, and it cannot be read here ({e}); run merge where the \
                 shards ran, with the same input files",
                i.path
            )),
            Ok(bytes) => {
                let now = InputDigest::of(&i.path, &bytes);
                if now.sha256 != i.sha256 {
                    problems.push(format!(
                        "{}: it changed since the shards read it (SHA-256 {} then, {} now); \
                         restore it, or run the shards again",
                        i.path,
                        &i.sha256[..12],
                        &now.sha256[..12]
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
