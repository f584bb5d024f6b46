//! Runs split across machines: a shard computes a fixed slice of a run's
//! iterations ([`Shard::range`]) and keeps its tallies in a [`Partial`];
//! partials of one run merge ([`assemble`]) to the tallies of the whole,
//! whose forecast is the single run's to the bit (every draw depends only on
//! the seed, the task and the iteration, and every tally is an exact sum).
//!
//! A partial file is a header line, a JSON line describing the run (the
//! [`PartialHeader`]), the tallies as little-endian bytes, and the SHA-256
//! of everything before it, so a truncated or damaged file is refused
//! rather than merged.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::engine::{CHUNK, Tallies};

/// The version of the partial file layout.
pub const PARTIAL_FORMAT: u32 = 1;

/// The first line of every partial file.
const MAGIC: &[u8] = b"slipcast partial\n";

/// Bytes of the trailing checksum.
const SUM: usize = 32;

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

/// A shard that cannot be.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ShardError {
    /// Not `K/M` with `K < M`.
    #[error(
        "\"{0}\" is not a shard: write K/M, shard K (from 0) of M, e.g. --shard 3/64, or --shard auto"
    )]
    Syntax(String),
    /// `K` is not below `M`, or `M` is 0.
    #[error("shard {0} of {1} does not exist: shards count from 0 to {1} - 1")]
    OutOfRange(u64, u64),
}

impl Shard {
    /// The shard of `text`, `auto` or `auto/M`: the index (and count) of
    /// this task of a batch engine's array job, from its environment
    /// (`env`): Slurm (`SLURM_ARRAY_TASK_ID` minus `_MIN`, of `_COUNT`; an
    /// array with a step is refused), Kubernetes Indexed Jobs
    /// (`JOB_COMPLETION_INDEX`, the count given as `auto/M`) or AWS Batch
    /// (`AWS_BATCH_JOB_ARRAY_INDEX`, of `_SIZE` or `auto/M`). Messages name
    /// the setting as `what` (`--shard`).
    ///
    /// # Errors
    ///
    /// No index in the environment, a count missing or disagreeing, or not
    /// a number: each with the fix.
    pub fn from_engine(
        what: &str,
        text: &str,
        env: &impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, String> {
        let rest = text.trim().strip_prefix("auto").unwrap_or(text);
        let given: Option<u64> = match rest.trim() {
            "" => None,
            r => Some(
                r.strip_prefix('/')
                    .and_then(|m| m.trim().parse().ok())
                    .ok_or_else(|| {
                        format!("{what} {text}: write auto, or auto/M with M the number of shards")
                    })?,
            ),
        };
        let number = |name: &str| -> Result<Option<u64>, String> {
            match env(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{what} {text}: {name}={v:?} is not a whole number")),
            }
        };
        let count = |from_env: Option<u64>, engine: &str, how: &str| -> Result<u64, String> {
            match (from_env, given) {
                (Some(a), Some(b)) if a != b => Err(format!(
                    "{what} {text}: {engine} runs {a} shards, not {b}; give {what} auto, or the \
                 array's size"
                )),
                (Some(a), _) | (None, Some(a)) => Ok(a),
                (None, None) => Err(format!(
                    "{what} {text}: {engine} gives this shard's index but not how many there are: \
                 write {what} auto/M, with M {how}"
                )),
            }
        };
        let (index, count) = if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            if let Some(step) = number("SLURM_ARRAY_TASK_STEP")?
                && step != 1
            {
                return Err(format!(
                    "{what} {text}: the Slurm array steps by {step}; shards need every index, e.g. \
                 --array=0-63"
                ));
            }
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let index = id.checked_sub(min).ok_or_else(|| {
                format!(
                    "{what} {text}: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                )
            })?;
            let n = number("SLURM_ARRAY_TASK_COUNT")?;
            (index, count(n, "the Slurm array", "the array's size")?)
        } else if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            (
                index,
                count(None, "the Kubernetes Job", "the Job's completions")?,
            )
        } else if let Some(index) = number("AWS_BATCH_JOB_ARRAY_INDEX")? {
            let n = number("AWS_BATCH_JOB_ARRAY_SIZE")?;
            (
                index,
                count(n, "the AWS Batch array job", "the array's size")?,
            )
        } else {
            return Err(format!(
                "{what} {text} found no array index in the environment (SLURM_ARRAY_TASK_ID, \
             JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX): run it as an array job, or \
             give the shard as {what} K/M"
            ));
        };
        Shard::new(index, count).map_err(|e| format!("{what} {text}: {e}"))
    }

    /// Shard `index` of `count`.
    ///
    /// # Errors
    ///
    /// [`ShardError::OutOfRange`] unless `index < count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, ShardError> {
        if index >= count {
            return Err(ShardError::OutOfRange(index, count));
        }
        Ok(Shard { index, count })
    }

    /// The index, from 0.
    pub fn index(self) -> u64 {
        self.index
    }

    /// How many shards the run has.
    pub fn count(self) -> u64 {
        self.count
    }

    /// This shard's slice of a run of `iterations`: the run's chunks of
    /// [`CHUNK`] iterations shared out as evenly as whole chunks allow, so
    /// every sum a shard forms is the one the whole run forms. Shards of a
    /// run too small to give each a chunk may be empty.
    pub fn range(self, iterations: u64) -> Range<u64> {
        let chunk = CHUNK as u64;
        let chunks = iterations.div_ceil(chunk);
        let at = |k: u64| (u128::from(chunks) * u128::from(k) / u128::from(self.count)) as u64;
        let start = (at(self.index) * chunk).min(iterations);
        let end = (at(self.index + 1) * chunk).min(iterations);
        start..end
    }

    /// This shard's work in a run of `scenarios` scenarios of `iterations`
    /// each (a comparison, a sweep): the run is cut into units of (scenario,
    /// slice), each scenario into `ceil(count / scenarios)` slices (one when
    /// there are more scenarios than shards), and the units shared out
    /// evenly in order. With one scenario it is [`Shard::range`].
    pub fn slices(self, scenarios: u64, iterations: u64) -> Vec<Slice> {
        let per = self.count.div_ceil(scenarios.max(1));
        let units = u128::from(scenarios) * u128::from(per);
        let at = |k: u64| (units * u128::from(k) / u128::from(self.count)) as u64;
        (at(self.index)..at(self.index + 1))
            .map(|u| {
                let r = Shard {
                    index: u % per,
                    count: per,
                }
                .range(iterations);
                Slice {
                    scenario: u / per,
                    first: r.start,
                    end: r.end,
                }
            })
            .collect()
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(s.to_string());
        let (k, m) = s.trim().split_once('/').ok_or_else(syntax)?;
        let k: u64 = k.trim().parse().map_err(|_| syntax())?;
        let m: u64 = m.trim().parse().map_err(|_| syntax())?;
        Shard::new(k, m)
    }
}

/// An input file of a run and the SHA-256 of its bytes when the run read
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputDigest {
    /// The path as given on the command line.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl InputDigest {
    /// The digest of `bytes` read from `path`.
    pub fn of(path: &str, bytes: &[u8]) -> InputDigest {
        InputDigest {
            path: path.to_string(),
            sha256: sha256_hex(bytes),
        }
    }
}

/// Iterations `first..end` of one scenario of a run (scenario 0 of a
/// forecast).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    /// The scenario, from 0, in the run's order.
    pub scenario: u64,
    /// The first iteration held.
    pub first: u64,
    /// End of the iterations held (exclusive).
    pub end: u64,
}

impl Slice {
    /// The iterations held.
    pub fn range(&self) -> Range<u64> {
        self.first..self.end
    }
}

/// What a partial file says of the run it belongs to. Partials merge only
/// when everything but the slice is the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialHeader {
    /// [`PARTIAL_FORMAT`] of the writer.
    pub format: u32,
    /// The slipcast version that wrote it.
    pub version: String,
    /// The command that ran, as its words after `slipcast` (without the
    /// flags that do not change the result: the shard, the partial folder,
    /// threads, quiet).
    pub command: Vec<String>,
    /// The start date (working day 1) the run settled on when the command
    /// gave none (today, where it ran), so every shard and the merge count
    /// days from the same one.
    pub start: Option<String>,
    /// Every input file with its digest.
    pub inputs: Vec<InputDigest>,
    /// The seed.
    pub seed: u64,
    /// Iterations of the whole run (of each scenario).
    pub iterations: u64,
    /// Scenarios of the run (1 for a forecast).
    pub scenarios: u64,
    /// The slices this partial holds, each with its tallies.
    pub slices: Vec<Slice>,
    /// The shards merged into it, as `K/M` (one for a shard's own file).
    pub shards: Vec<String>,
}

impl PartialHeader {
    /// What identifies the run: everything but the slice.
    fn run(
        &self,
    ) -> (
        u32,
        &str,
        &[String],
        &Option<String>,
        &[InputDigest],
        u64,
        u64,
    ) {
        (
            self.format,
            &self.version,
            &self.command,
            &self.start,
            &self.inputs,
            self.seed,
            self.iterations,
        )
    }

    /// How this header's run differs from `other`'s, in words naming the
    /// two files (`None`: the same run).
    fn difference(&self, name: &str, other: &PartialHeader, other_name: &str) -> Option<String> {
        if self.run() == other.run() {
            return None;
        }
        let both = |what: &str, a: &dyn fmt::Display, b: &dyn fmt::Display| {
            Some(format!(
                "{other_name} is from a different run than {name}: {what} {b} there, {a} here"
            ))
        };
        if self.version != other.version {
            return both("slipcast", &self.version, &other.version);
        }
        if self.seed != other.seed {
            return both("seed", &self.seed, &other.seed);
        }
        if self.iterations != other.iterations {
            return both("iterations", &self.iterations, &other.iterations);
        }
        for a in &self.inputs {
            if let Some(b) = other.inputs.iter().find(|b| b.path == a.path)
                && b.sha256 != a.sha256
            {
                return Some(format!(
                    "{other_name} is from a different run than {name}: it read another {} \
                     (SHA-256 {} there, {} here)",
                    a.path,
                    &b.sha256[..12],
                    &a.sha256[..12]
                ));
            }
        }
        if self.start != other.start {
            let day = |s: &Option<String>| s.clone().unwrap_or_else(|| "--start".into());
            return Some(format!(
                "{other_name} is from a different run than {name}: it counted days from {} \
                 and {name} from {} (the shards ran on different days without --start; give \
                 --start to every shard)",
                day(&other.start),
                day(&self.start)
            ));
        }
        Some(format!(
            "{other_name} is from a different run than {name}: it ran `slipcast {}`, and \
             {name} `slipcast {}`",
            other.command.join(" "),
            self.command.join(" ")
        ))
    }
}

/// A shard's (or several merged shards') share of a run: the header and the
/// tallies of each of its slices.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    /// The run and the slices.
    pub header: PartialHeader,
    /// Each slice's tallies, in the order of `header.slices`.
    pub tallies: Vec<Tallies>,
}

/// A file that is not a readable partial.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PartialError {
    /// Not a partial file at all.
    #[error("it is not a slipcast partial file")]
    NotPartial,
    /// The checksum does not match: truncated or damaged.
    #[error(
        "it is damaged or cut short (its SHA-256 checksum does not match its contents); run its shard again"
    )]
    Checksum,
    /// Written in a layout this version does not read.
    #[error("it is in partial format {0}, and this slipcast reads format {PARTIAL_FORMAT}")]
    Format(u32),
    /// A checksum that matches around contents that do not fit together.
    #[error("its contents do not fit together ({0}); run its shard again")]
    Contents(String),
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Partial {
    /// The file's bytes: the magic line, the header as one JSON line, the
    /// tallies, and the SHA-256 of all of that.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(
            serde_json::to_string(&self.header)
                .expect("a header serialises")
                .as_bytes(),
        );
        out.push(b'\n');
        for t in &self.tallies {
            let bytes = t.to_bytes();
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(&bytes);
        }
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        out
    }

    /// Whether `bytes` begin like a partial file (to tell one slipcast
    /// wrote from a file it must not replace).
    pub fn looks_like(bytes: &[u8]) -> bool {
        bytes.starts_with(MAGIC)
    }

    /// Reads a partial file's bytes.
    ///
    /// # Errors
    ///
    /// [`PartialError`] for bytes that are not a whole, undamaged partial of
    /// this format.
    pub fn from_bytes(bytes: &[u8]) -> Result<Partial, PartialError> {
        if !Partial::looks_like(bytes) {
            return Err(PartialError::NotPartial);
        }
        if bytes.len() < MAGIC.len() + SUM {
            return Err(PartialError::Checksum);
        }
        let (body, sum) = bytes.split_at(bytes.len() - SUM);
        if Sha256::digest(body).as_slice() != sum {
            return Err(PartialError::Checksum);
        }
        let rest = &body[MAGIC.len()..];
        let line = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| PartialError::Contents("no header".into()))?;
        let header: PartialHeader = serde_json::from_slice(&rest[..line]).map_err(|e| {
            // A later format may add fields this one does not know.
            match serde_json::from_slice::<serde_json::Value>(&rest[..line]) {
                Ok(v) => match v["format"].as_u64() {
                    Some(f) if f != u64::from(PARTIAL_FORMAT) => PartialError::Format(f as u32),
                    _ => PartialError::Contents(e.to_string()),
                },
                Err(_) => PartialError::Contents(e.to_string()),
            }
        })?;
        if header.format != PARTIAL_FORMAT {
            return Err(PartialError::Format(header.format));
        }
        let mut body = &rest[line + 1..];
        let mut tallies = Vec::new();
        let contents = |what: &str| PartialError::Contents(what.into());
        while !body.is_empty() {
            let len = body
                .get(..8)
                .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
                .ok_or_else(|| contents("a slice's length is cut short"))?;
            let bytes = usize::try_from(len)
                .ok()
                .and_then(|n| body.get(8..8 + n))
                .ok_or_else(|| contents("a slice runs past the end"))?;
            tallies.push(Tallies::from_bytes(bytes).map_err(|e| contents(&e.to_string()))?);
            body = &body[8 + bytes.len()..];
        }
        let fits = tallies.len() == header.slices.len()
            && tallies.iter().zip(&header.slices).all(|(t, s)| {
                t.range() == s.range()
                    && s.scenario < header.scenarios
                    && t.iterations() == header.iterations
                    && t.seed() == header.seed
            });
        if !fits {
            return Err(contents(
                "the header and the tallies describe different iterations",
            ));
        }
        Ok(Partial { header, tallies })
    }
}

/// Why partials do not merge: every problem found, each naming its files.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", .0.join("\n"))]
pub struct MergeError(pub Vec<String>);

/// Merges partials of one run (each with the name to call it by) into one
/// partial holding their iterations: in any order, and in stages (a merge
/// of merges is the same). With `whole`, the partials must hold every
/// iteration of the run; otherwise they must meet end to end.
///
/// # Errors
///
/// [`MergeError`] naming the files: partials of different runs (another
/// plan or input, seed, iteration count, version or command), slices that
/// overlap, iterations that none holds, or no partials at all.
pub fn assemble(parts: Vec<(String, Partial)>, whole: bool) -> Result<Partial, MergeError> {
    if parts.is_empty() {
        return Err(MergeError(vec!["no partial files to merge".into()]));
    }
    let mut problems: Vec<String> = Vec::new();
    // The run most of the files belong to is the reference: the odd ones
    // out are named against it.
    let votes = |h: &PartialHeader| {
        parts
            .iter()
            .filter(|(_, p)| p.header.run() == h.run())
            .count()
    };
    // Counted only when the files differ: with thousands of shards of one
    // run, one pass over them settles it.
    let same = |i: usize| parts[i].1.header.run() == parts[0].1.header.run();
    let reference = if (0..parts.len()).all(same) {
        0
    } else {
        (0..parts.len())
            .max_by_key(|&i| (votes(&parts[i].1.header), std::cmp::Reverse(i)))
            .expect("at least one partial")
    };
    let (name0, first) = (&parts[reference].0, &parts[reference].1.header);
    for (name, p) in &parts {
        if let Some(d) = first.difference(name0, &p.header, name) {
            problems.push(d);
        }
    }
    if !problems.is_empty() {
        return Err(MergeError(problems));
    }
    let (iterations, scenarios) = (first.iterations, first.scenarios);
    let mut header = first.clone();
    // Each scenario's slices, with the file each came from.
    let mut per: Vec<Vec<(String, Slice, Tallies)>> = vec![Vec::new(); scenarios as usize];
    let mut shards: Vec<String> = Vec::new();
    for (name, p) in parts {
        shards.extend(p.header.shards.iter().cloned());
        for (slice, t) in p.header.slices.iter().zip(p.tallies) {
            per[slice.scenario as usize].push((name.clone(), *slice, t));
        }
    }
    let mut slices = Vec::new();
    let mut tallies = Vec::new();
    for (s, mut list) in per.into_iter().enumerate() {
        let which = if scenarios > 1 {
            format!("scenario {} of {scenarios}: ", s + 1)
        } else {
            String::new()
        };
        if list.is_empty() {
            if whole {
                problems.push(format!("{which}{}", missing(0, iterations, iterations)));
            }
            continue;
        }
        list.sort_by_key(|(_, sl, _)| (sl.first, sl.end));
        // Where the iterations held must begin: the run's first, or for a
        // stage, the first slice that holds any.
        let mut covered = if whole {
            0
        } else {
            list.iter()
                .find(|(_, sl, _)| sl.first < sl.end)
                .map_or(0, |(_, sl, _)| sl.first)
        };
        let mut holder: Option<(&str, u64)> = None;
        for (name, h, _) in &list {
            if h.first == h.end {
                continue;
            }
            if let Some((other, first)) = holder
                && (first, covered) == (h.first, h.end)
            {
                let same = if other == name {
                    String::new()
                } else {
                    format!(" (as {other})")
                };
                problems.push(format!(
                    "{which}{name} is given twice{same}: iterations {}..{} may be merged once",
                    h.first, h.end
                ));
            } else if h.first < covered {
                problems.push(format!(
                    "{which}{name} (iterations {}..{}) overlaps {} (iterations up to \
                     {covered}): a shard given twice, or shards of different counts; give each \
                     slice once",
                    h.first,
                    h.end,
                    holder.map_or("another file", |h| h.0)
                ));
            } else if h.first > covered {
                problems.push(format!("{which}{}", missing(covered, h.first, iterations)));
            }
            covered = covered.max(h.end);
            holder = Some((name, h.first));
        }
        if whole && covered < iterations {
            problems.push(format!(
                "{which}{}",
                missing(covered, iterations, iterations)
            ));
        }
        if !problems.is_empty() {
            continue;
        }
        let all_empty = list.iter().all(|(_, sl, _)| sl.first == sl.end);
        let mut merged: Option<Tallies> = None;
        for (name, sl, t) in list {
            if sl.first == sl.end && (merged.is_some() || !all_empty) {
                // An empty slice adds nothing (and may lie anywhere).
                continue;
            }
            merged = Some(match merged {
                None => t,
                Some(m) => m
                    .merge(t)
                    .map_err(|e| MergeError(vec![format!("{which}{name}: {e}")]))?,
            });
        }
        let merged = merged.expect("at least one slice");
        let r = merged.range();
        slices.push(Slice {
            scenario: s as u64,
            first: r.start,
            end: r.end,
        });
        tallies.push(merged);
    }
    if !problems.is_empty() {
        return Err(MergeError(problems));
    }
    shards.sort_by_key(|s| {
        s.split_once('/')
            .and_then(|(k, _)| k.parse::<u64>().ok())
            .unwrap_or(u64::MAX)
    });
    shards.dedup();
    header.shards = shards;
    header.slices = slices;
    Ok(Partial { header, tallies })
}

/// Iterations `from..to` held by no file, in words.
fn missing(from: u64, to: u64, iterations: u64) -> String {
    format!(
        "iterations {from}..{to} of {iterations} are in none of the files: a shard is missing \
         (or has not finished); merge when every shard has written its partial"
    )
}
