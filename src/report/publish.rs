//! Output folders published as a whole set, atomically, and never over a
//! file slipcast did not write.
//!
//! Every command that writes files (`forecast`, `cutline`, `compare --out`
//! and `report`) renders its whole output set in memory, then:
//!
//! 1. [`Destination::check`], before any simulation: the folder must be
//!    absent, empty, or a folder slipcast wrote, which it proves with the
//!    [`MANIFEST`] it wrote there (every file's name, size and SHA-256). A
//!    folder with any other file, a listed file edited since, or a set of
//!    another command (without `--force`) is refused, and so is a folder that
//!    holds one of the run's inputs.
//! 2. [`Destination::publish`] writes the set into a fresh hidden staging
//!    folder beside the destination (`.NAME.slipcast-new-*`), the manifest
//!    first, every file flushed to disk, and moves it into place in one step:
//!    a rename when the destination is absent, an atomic exchange of the two
//!    folders (Linux `renameat2(RENAME_EXCHANGE)`) when it exists. The old
//!    set, now in the staging path, is removed file by file: only the files
//!    its manifest lists, so a file that appeared meanwhile is left alone.
//!
//! A kill at any instant leaves the destination holding either the complete
//! old set or the complete new one. Staging folders of killed runs are
//! removed by the next run to the same destination: only the files their
//! manifest lists, and only while no live run holds the manifest's lock.
//!
//! Where the exchange is not available (another OS, or a file system that
//! refuses it) the old folder is renamed aside first, then the new one into
//! place; between the two renames the destination is briefly absent.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ExportError;

/// The manifest slipcast writes into every output folder: the proof that it
/// wrote the folder, and the list of what it may replace there.
pub const MANIFEST: &str = ".slipcast-manifest.json";

/// What the manifest's `format` field holds.
const FORMAT: &str = "slipcast-output/1";

/// How many stray names an error lists before "and N more".
const SHOWN: usize = 5;

/// One file of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The file's name inside the folder.
    pub name: String,
    /// Its length in bytes.
    pub bytes: u64,
    /// SHA-256 of its content, lowercase hex.
    pub sha256: String,
}

/// The manifest of an output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `slipcast-output/1`.
    pub format: String,
    /// The slipcast version that wrote the folder.
    pub version: String,
    /// Which command's set this is: `forecast`, `report`, `cutline` or
    /// `compare`.
    pub kind: String,
    /// When the set was written (RFC 3339, UTC).
    pub generated: String,
    /// Every file of the set, sorted by name.
    pub files: Vec<ManifestEntry>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A whole output set, rendered and ready to publish.
#[derive(Debug, Clone)]
pub struct OutputSet {
    kind: &'static str,
    files: Vec<(String, Vec<u8>)>,
    generated: Option<DateTime<Utc>>,
}

impl OutputSet {
    /// An empty set of the given kind (`forecast`, `report`, `cutline`,
    /// `compare`).
    pub fn new(kind: &'static str) -> OutputSet {
        OutputSet {
            kind,
            files: Vec::new(),
            generated: None,
        }
    }

    /// Dates the set `at` in its manifest (by default, when it is
    /// published): a result's sets carry the time the result records.
    pub fn generated_at(&mut self, at: DateTime<Utc>) {
        self.generated = Some(at);
    }

    /// Adds a file.
    ///
    /// # Panics
    ///
    /// If `name` is not a plain file name, is the manifest's, or was added
    /// before: the names are slipcast's own, never a user's.
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        let name = name.into();
        assert!(
            is_plain_name(&name) && name != MANIFEST,
            "not an output file name: {name:?}"
        );
        assert!(
            self.files.iter().all(|(n, _)| *n != name),
            "output file added twice: {name}"
        );
        self.files.push((name, bytes));
    }

    /// The kind of set.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The files' names, in the order they were added.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(n, _)| n.as_str())
    }

    /// The bytes of the file `name`, if the set has it.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    fn manifest(&self, generated: String) -> Manifest {
        let mut files: Vec<ManifestEntry> = self
            .files
            .iter()
            .map(|(name, bytes)| ManifestEntry {
                name: name.clone(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Manifest {
            format: FORMAT.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: self.kind.into(),
            generated,
            files,
        }
    }
}

fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(parts.next(), Some(Component::Normal(_))) && parts.next().is_none()
}

/// Why a destination folder was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The path is a file (or something else that is not a folder).
    NotAFolder,
    /// The path is a symbolic link.
    Link,
    /// The folder holds files slipcast did not write (no manifest, or not
    /// listed in it); up to a few names, and how many there are.
    Foreign {
        /// Some of the names.
        names: Vec<String>,
        /// How many there are.
        count: usize,
        /// Whether the folder has a slipcast manifest at all.
        has_manifest: bool,
    },
    /// A file slipcast wrote was changed afterwards.
    Edited {
        /// The file's name.
        name: String,
        /// When slipcast wrote the set.
        generated: String,
    },
    /// The folder holds another command's set.
    OtherKind {
        /// The kind in the folder.
        found: String,
        /// When it was written.
        generated: String,
    },
    /// The path is an input of this run.
    IsInput,
    /// An input of this run lies inside the folder.
    HoldsInput {
        /// The input, as given.
        input: String,
    },
}

impl Refusal {
    /// The sentence after "cannot write '{path}':".
    pub(super) fn explain(&self, kind: &str) -> String {
        match self {
            Refusal::NotAFolder => "it is a file, not a folder. --out names a folder that \
                 slipcast fills with its own files: choose a new folder name"
                .into(),
            Refusal::Link => "it is a symbolic link; give the real folder's path, or a new \
                 folder name"
                .into(),
            Refusal::Foreign {
                names,
                count,
                has_manifest,
            } => {
                let mut list = names.join(", ");
                if *count > names.len() {
                    list.push_str(&format!(" and {} more", count - names.len()));
                }
                let what = if *has_manifest {
                    "it holds files slipcast did not write"
                } else {
                    "it holds files slipcast did not write (it has no slipcast manifest)"
                };
                format!(
                    "{what}: {list}. slipcast publishes --out as a whole folder and \
                     replaces only a folder it wrote itself. Choose a new or empty \
                     folder, or move those files away"
                )
            }
            Refusal::Edited { name, generated } => format!(
                "'{name}' was changed after slipcast wrote it ({generated}). Pass --force \
                 to replace the folder anyway (those changes are lost), or choose \
                 another --out folder"
            ),
            Refusal::OtherKind { found, generated } => format!(
                "it holds a slipcast {found} set ({generated}), which this {kind} set \
                 would replace. Pass --force to replace it, or choose another --out folder"
            ),
            Refusal::IsInput => "it is an input of this run. --out names a folder that \
                 slipcast fills with its own files: choose a new folder name"
                .into(),
            Refusal::HoldsInput { input } => format!(
                "the input '{input}' is inside it, and publishing would replace it. \
                 Choose an --out folder that holds none of the run's inputs"
            ),
        }
    }
}

/// A destination checked before the run: absent, empty, or a folder
/// slipcast wrote and may replace.
#[derive(Debug, Clone)]
pub struct Destination {
    /// As the user gave it (for messages and the paths returned).
    shown: PathBuf,
    /// The parent folder, resolved (may not exist yet).
    parent: PathBuf,
    /// The folder's own name.
    name: String,
    kind: &'static str,
    force: bool,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The absolute, symlink-free path of `dir`'s parent and `dir`'s name,
/// without creating anything: the nearest existing ancestor is
/// canonicalised and the rest appended.
/// The parent of `dir` that is a file, as the user wrote it (else `real`,
/// a resolved path below which one is).
fn parent_file(dir: &Path, real: &Path) -> PathBuf {
    dir.ancestors()
        .skip(1)
        .find(|a| a.is_file())
        .unwrap_or(real)
        .to_path_buf()
}

/// Why a folder cannot be made below `file`, with the fix.
fn inside_a_file(file: &Path) -> String {
    format!(
        "'{}' is a file, not a folder, so no folder can be made inside it; give --out a folder path whose parents are folders",
        file.display()
    )
}

fn resolve(dir: &Path) -> Result<(PathBuf, String), ExportError> {
    let mut abs = std::path::absolute(dir).map_err(io(dir))?;
    // The last component is kept as it is (a link there is refused, not
    // followed); one that is `..` or `.` names an existing folder.
    let last = match abs.file_name() {
        Some(n) if !matches!(abs.components().next_back(), Some(Component::ParentDir)) => {
            let n = n.to_string_lossy().into_owned();
            abs.pop();
            Some(n)
        }
        _ => None,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut base = abs.as_path();
    let real = loop {
        match fs::canonicalize(base) {
            Ok(p) => break p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match (base.parent(), base.file_name()) {
                    (Some(up), Some(n)) => {
                        parts.push(n.to_string_lossy().into_owned());
                        base = up;
                    }
                    _ => return Err(io(dir)(e)),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                // A parent of the folder is a file: say which, in words.
                return Err(ExportError::Refused {
                    path: dir.display().to_string(),
                    reason: inside_a_file(&parent_file(dir, base)),
                });
            }
            Err(e) => return Err(io(dir)(e)),
        }
    };
    let mut full = real;
    for p in parts.iter().rev().chain(&last) {
        if p == ".." {
            full.pop();
        } else if p != "." {
            full.push(p);
        }
    }
    // `full` is absolute; only the root has no name.
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| ExportError::Refused {
            path: dir.display().to_string(),
            reason: Refusal::NotAFolder.explain("this"),
        })?;
    let parent = full.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((parent, name))
}

fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = fs::read(dir.join(MANIFEST)).ok()?;
    let m: Manifest = serde_json::from_slice(&text).ok()?;
    (m.format == FORMAT && m.files.iter().all(|f| is_plain_name(&f.name))).then_some(m)
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Result<Vec<String>, ExportError> {
    let mut names = fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .map_err(io(dir))
        })
        .collect::<Result<Vec<_>, _>>()?;
    names.sort();
    Ok(names)
}

/// Whether slipcast may replace the folder `dir` (which exists) with a set
/// of `kind`.
fn replaceable(dir: &Path, kind: &str, force: bool) -> Result<(), Refusal> {
    let names = names_in(dir).map_err(|_| Refusal::Foreign {
        names: vec!["(unreadable folder)".into()],
        count: 1,
        has_manifest: false,
    })?;
    if names.is_empty() {
        return Ok(());
    }
    let manifest = read_manifest(dir);
    let listed: BTreeSet<&str> = manifest
        .iter()
        .flat_map(|m| m.files.iter().map(|f| f.name.as_str()))
        .chain([MANIFEST])
        .collect();
    let stray: Vec<&String> = names
        .iter()
        .filter(|n| manifest.is_none() || !listed.contains(n.as_str()))
        .collect();
    if !stray.is_empty() {
        return Err(Refusal::Foreign {
            names: stray.iter().take(SHOWN).map(|s| s.to_string()).collect(),
            count: stray.len(),
            has_manifest: manifest.is_some(),
        });
    }
    let Some(m) = manifest else {
        unreachable!("a folder without a manifest has stray names")
    };
    for f in &m.files {
        let p = dir.join(&f.name);
        let meta = match fs::symlink_metadata(&p) {
            // A listed file the user removed: nothing of theirs to lose.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(_) => None,
            Ok(meta) => Some(meta),
        };
        let same = meta.is_some_and(|meta| {
            meta.is_file()
                && meta.len() == f.bytes
                && fs::read(&p).is_ok_and(|b| sha256_hex(&b) == f.sha256)
        });
        if !same && !force {
            return Err(Refusal::Edited {
                name: f.name.clone(),
                generated: m.generated.clone(),
            });
        }
        if !same && !fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            // Even with --force, never remove a folder or link in its place.
            return Err(Refusal::Foreign {
                names: vec![f.name.clone()],
                count: 1,
                has_manifest: true,
            });
        }
    }
    if m.kind != kind && !force {
        return Err(Refusal::OtherKind {
            found: m.kind,
            generated: m.generated,
        });
    }
    Ok(())
}

/// The steps of a publish, reported to the hook after each one (for tests
/// that stop the process at every instant).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Stale staging folders of killed runs removed.
    Cleaned,
    /// The staging folder was created.
    Staged,
    /// The manifest was written into it.
    Manifest,
    /// One file was written.
    File(String),
    /// Every file and the folder were flushed to disk.
    Synced,
    /// The new set is in place.
    Swapped,
    /// One file of the old set was removed.
    Removed(String),
    /// The old set's folder is gone.
    Done,
}

impl Destination {
    /// Checks, before any work, that a `kind` set may be published to
    /// `dir`: it is absent, empty, or a folder slipcast wrote (with every
    /// listed file unchanged and a set of the same kind, unless `force`),
    /// and none of `inputs` lies inside it. Creates nothing.
    ///
    /// # Errors
    ///
    /// [`ExportError::Refused`] saying what is there and what to do, or
    /// [`ExportError::Io`] if the folder or its parent cannot be read or
    /// written.
    pub fn check(
        dir: &Path,
        kind: &'static str,
        force: bool,
        inputs: &[&Path],
    ) -> Result<Destination, ExportError> {
        let shown = dir.to_path_buf();
        let refuse = |r: Refusal| ExportError::Refused {
            path: dir.display().to_string(),
            reason: r.explain(kind),
        };
        let (parent, name) = resolve(dir)?;
        let real = parent.join(&name);
        for input in inputs {
            if let Ok(p) = fs::canonicalize(input)
                && p.starts_with(&real)
            {
                if p == real {
                    return Err(refuse(Refusal::IsInput));
                }
                return Err(refuse(Refusal::HoldsInput {
                    input: input.display().to_string(),
                }));
            }
        }
        match fs::symlink_metadata(&real) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Err(ExportError::Refused {
                    path: dir.display().to_string(),
                    reason: inside_a_file(&parent_file(dir, &parent)),
                });
            }
            Err(e) => return Err(io(dir)(e)),
            Ok(m) if m.file_type().is_symlink() => return Err(refuse(Refusal::Link)),
            Ok(m) if !m.is_dir() => return Err(refuse(Refusal::NotAFolder)),
            Ok(_) => replaceable(&real, kind, force).map_err(refuse)?,
        }
        // The nearest existing ancestor must be a folder we can write in.
        let mut up = parent.as_path();
        while !up.exists() {
            match up.parent() {
                Some(p) => up = p,
                None => break,
            }
        }
        if !up.is_dir() {
            return Err(ExportError::Refused {
                path: dir.display().to_string(),
                reason: inside_a_file(up),
            });
        }
        writable(up).map_err(io(up))?;
        Ok(Destination {
            shown,
            parent,
            name,
            kind,
            force,
        })
    }

    /// The folder, as given.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    fn real(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    fn staging_prefix(&self) -> String {
        format!(".{}.slipcast-", self.name)
    }

    /// Publishes `set` (see the module documentation); returns the paths of
    /// its files, as given, in the order they were added.
    ///
    /// # Errors
    ///
    /// [`ExportError::Io`] or [`ExportError::Refused`] (the folder changed
    /// since [`Destination::check`]); the destination is then left as it
    /// was.
    pub fn publish(&self, set: &OutputSet) -> Result<Vec<PathBuf>, ExportError> {
        self.publish_with(set, &mut |_| {})
    }

    /// [`Destination::publish`], calling `hook` after every step.
    ///
    /// # Errors
    ///
    /// As [`Destination::publish`].
    pub fn publish_with(
        &self,
        set: &OutputSet,
        hook: &mut dyn FnMut(&Step),
    ) -> Result<Vec<PathBuf>, ExportError> {
        assert_eq!(
            set.kind, self.kind,
            "a {} set for a {} destination",
            set.kind, self.kind
        );
        let dir = self.real();
        fs::create_dir_all(&self.parent).map_err(io(&self.parent))?;
        self.clean_stale();
        hook(&Step::Cleaned);

        let staging = Staging(self.make_folder("new")?);
        hook(&Step::Staged);
        let generated = set
            .generated
            .unwrap_or_else(Utc::now)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let manifest = set.manifest(generated);
        let text = serde_json::to_vec_pretty(&manifest).map_err(|e| ExportError::Format {
            format: "json",
            message: e.to_string(),
        })?;
        // The manifest first, locked for the whole run: a later run's
        // clean-up knows from it what this folder may hold and that it is
        // still in use.
        let lock = {
            let p = staging.0.join(MANIFEST);
            let mut f = fs::File::create(&p).map_err(io(&p))?;
            f.lock().map_err(io(&p))?;
            f.write_all(&text).map_err(io(&p))?;
            f.sync_all().map_err(io(&p))?;
            f
        };
        hook(&Step::Manifest);
        for (name, bytes) in &set.files {
            let p = staging.0.join(name);
            let mut f = fs::File::create(&p).map_err(io(&p))?;
            f.write_all(bytes).map_err(io(&p))?;
            f.sync_all().map_err(io(&p))?;
            hook(&Step::File(name.clone()));
        }
        sync_dir(&staging.0);
        hook(&Step::Synced);

        // Check again right before the swap: the folder may have changed
        // while the forecast ran.
        match fs::symlink_metadata(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let staged = staging.keep();
                if let Err(e) = fs::rename(&staged, &dir) {
                    remove_set(&staged);
                    return Err(io(&self.shown)(e));
                }
                sync_dir(&self.parent);
                hook(&Step::Swapped);
            }
            Err(e) => return Err(io(&self.shown)(e)),
            Ok(m) => {
                let refusal = if m.file_type().is_symlink() {
                    Some(Refusal::Link)
                } else if !m.is_dir() {
                    Some(Refusal::NotAFolder)
                } else {
                    replaceable(&dir, self.kind, self.force).err()
                };
                if let Some(r) = refusal {
                    return Err(ExportError::Refused {
                        path: self.shown.display().to_string(),
                        reason: r.explain(self.kind),
                    });
                }
                let staged = staging.keep();
                let old = match exchange(&staged, &dir) {
                    Ok(()) => staged,
                    Err(_) => match self.swap_by_renames(&staged, &dir) {
                        Ok(old) => old,
                        Err(e) => {
                            remove_set(&staged);
                            return Err(e);
                        }
                    },
                };
                sync_dir(&self.parent);
                hook(&Step::Swapped);
                remove_set_with(&old, hook);
                hook(&Step::Done);
            }
        }
        drop(lock);
        Ok(set.names().map(|n| self.shown.join(n)).collect())
    }

    /// The fallback swap: the old folder aside, then the new into place.
    /// Returns where the old folder went.
    fn swap_by_renames(&self, staged: &Path, dir: &Path) -> Result<PathBuf, ExportError> {
        let old = self.make_folder("old")?;
        // `old` exists, empty; renaming a folder over an empty one is allowed.
        fs::rename(dir, &old).map_err(io(&self.shown))?;
        if let Err(e) = fs::rename(staged, dir) {
            let _ = fs::rename(&old, dir);
            return Err(io(&self.shown)(e));
        }
        Ok(old)
    }

    /// Creates a fresh hidden folder beside the destination, named
    /// `.NAME.slipcast-{role}-{unique}`, with the permissions of any folder
    /// this process creates (not a temporary folder's private ones: the
    /// report is meant to be shared).
    fn make_folder(&self, role: &str) -> Result<PathBuf, ExportError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0..100u32 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = self.parent.join(format!(
                "{}{role}-{}-{nanos:x}{n}{attempt}",
                self.staging_prefix(),
                std::process::id()
            ));
            match fs::create_dir(&path) {
                Ok(()) => return Ok(path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io(&self.parent)(e)),
            }
        }
        Err(io(&self.parent)(std::io::ErrorKind::AlreadyExists.into()))
    }

    /// Removes staging folders that killed runs left beside the destination:
    /// only the files their manifests list, and only when no live run holds
    /// the manifest's lock. Best effort: what cannot be removed stays.
    fn clean_stale(&self) {
        let prefix = self.staging_prefix();
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(&prefix) || !e.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let path = e.path();
            // A live run holds the lock on its manifest.
            if let Ok(f) = fs::File::open(path.join(MANIFEST))
                && f.try_lock().is_err()
            {
                continue;
            }
            remove_set(&path);
        }
    }
}

/// A staging folder, removed (as a set) if the publish stops early.
struct Staging(PathBuf);

impl Staging {
    /// Keeps the folder: it is being moved into place.
    fn keep(self) -> PathBuf {
        let path = self.0.clone();
        std::mem::forget(self);
        path
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        remove_set(&self.0);
    }
}

/// Removes a folder slipcast wrote: the files its manifest lists, the
/// manifest, then the folder if that left it empty.
fn remove_set(dir: &Path) {
    remove_set_with(dir, &mut |_| {});
}

fn remove_set_with(dir: &Path, hook: &mut dyn FnMut(&Step)) {
    match read_manifest(dir) {
        Some(m) => {
            for f in &m.files {
                let p = dir.join(&f.name);
                if fs::symlink_metadata(&p).is_ok_and(|m| m.is_file())
                    && fs::remove_file(&p).is_ok()
                {
                    hook(&Step::Removed(f.name.clone()));
                }
            }
            let _ = fs::remove_file(dir.join(MANIFEST));
        }
        None => {
            // A run killed while writing its manifest: the folder holds at
            // most that (partial) manifest.
            if names_in(dir).is_ok_and(|n| n == [MANIFEST]) {
                let _ = fs::remove_file(dir.join(MANIFEST));
            }
        }
    }
    let _ = fs::remove_dir(dir);
}

/// Flushes a folder's entries to disk (best effort: not every platform can).
fn sync_dir(path: &Path) {
    if let Ok(f) = fs::File::open(path) {
        let _ = f.sync_all();
    }
}

/// Whether this process may create entries in the folder `dir` (asked
/// without creating anything).
#[cfg(target_os = "linux")]
fn writable(dir: &Path) -> std::io::Result<()> {
    use rustix::fs::{Access, access};
    access(dir, Access::WRITE_OK | Access::EXEC_OK).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn writable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Swaps two folders in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(kind: &'static str, text: &str) -> OutputSet {
        let mut s = OutputSet::new(kind);
        s.add("a.txt", text.as_bytes().to_vec());
        s.add("b.csv", b"x,y\n".to_vec());
        s
    }

    fn publish(dir: &Path, s: &OutputSet, force: bool) -> Result<Vec<PathBuf>, ExportError> {
        Destination::check(dir, s.kind(), force, &[])?.publish(s)
    }

    fn listing(dir: &Path) -> Vec<String> {
        names_in(dir).unwrap()
    }

    #[test]
    fn new_then_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("deep/out");
        publish(&out, &set("forecast", "one"), false).unwrap();
        assert_eq!(listing(&out), [MANIFEST, "a.txt", "b.csv"]);
        publish(&out, &set("forecast", "two"), false).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
        // Nothing left beside it.
        assert_eq!(listing(&tmp.path().join("deep")), ["out"]);
    }

    #[test]
    fn fewer_files_replace_more() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        publish(&out, &set("forecast", "one"), false).unwrap();
        let mut small = OutputSet::new("forecast");
        small.add("a.txt", b"only".to_vec());
        publish(&out, &small, false).unwrap();
        assert_eq!(listing(&out), [MANIFEST, "a.txt"]);
    }

    #[test]
    fn refuses_foreign_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), "keep").unwrap();
        let e = publish(&out, &set("report", "x"), true)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("notes.txt") && e.contains("did not write"),
            "{e}"
        );
        assert_eq!(listing(&out), ["notes.txt"]);
        // Also beside a manifest.
        let out = tmp.path().join("out");
        publish(&out, &set("forecast", "one"), false).unwrap();
        fs::write(out.join("notes.txt"), "keep").unwrap();
        let e = publish(&out, &set("forecast", "x"), true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("notes.txt"), "{e}");
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "keep");
    }

    #[test]
    fn edited_file_needs_force() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        publish(&out, &set("forecast", "one"), false).unwrap();
        fs::write(out.join("a.txt"), "my edit").unwrap();
        let e = publish(&out, &set("forecast", "two"), false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'a.txt' was changed") && e.contains("--force"),
            "{e}"
        );
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "my edit");
        publish(&out, &set("forecast", "two"), true).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "two");
    }

    #[test]
    fn other_kind_needs_force() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        publish(&out, &set("report", "one"), false).unwrap();
        let e = publish(&out, &set("forecast", "two"), false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("slipcast report set") && e.contains("--force"),
            "{e}"
        );
        publish(&out, &set("forecast", "two"), true).unwrap();
    }

    #[test]
    fn refuses_files_links_and_inputs() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("plan.csv");
        fs::write(&file, "id\n").unwrap();
        let e = publish(&file, &set("forecast", "x"), true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a file"), "{e}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "id\n");
        let e = Destination::check(tmp.path(), "forecast", true, &[&file])
            .unwrap_err()
            .to_string();
        assert!(e.contains("input") && e.contains("plan.csv"), "{e}");
        #[cfg(unix)]
        {
            let link = tmp.path().join("link");
            std::os::unix::fs::symlink(tmp.path(), &link).unwrap();
            let e = publish(&link, &set("forecast", "x"), true)
                .unwrap_err()
                .to_string();
            assert!(e.contains("symbolic link"), "{e}");
        }
    }

    #[test]
    fn stale_staging_is_cleaned_but_not_foreign_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        // A killed run's staging folder, with its manifest and one file.
        let s = set("forecast", "old");
        let stale = tmp.path().join(".out.slipcast-new-abc");
        fs::create_dir(&stale).unwrap();
        let m = s.manifest("2026-01-01T00:00:00Z".into());
        fs::write(stale.join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();
        fs::write(stale.join("a.txt"), "old").unwrap();
        // One with a file slipcast would never write there.
        let odd = tmp.path().join(".out.slipcast-old-xyz");
        fs::create_dir(&odd).unwrap();
        fs::write(odd.join("mine.txt"), "keep").unwrap();
        publish(&out, &set("forecast", "new"), false).unwrap();
        assert!(!stale.exists());
        assert_eq!(fs::read_to_string(odd.join("mine.txt")).unwrap(), "keep");
    }

    #[test]
    fn every_step_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        publish(&out, &set("forecast", "one"), false).unwrap();
        let mut steps = Vec::new();
        Destination::check(&out, "forecast", false, &[])
            .unwrap()
            .publish_with(&set("forecast", "two"), &mut |s| steps.push(s.clone()))
            .unwrap();
        assert_eq!(steps.first(), Some(&Step::Cleaned));
        assert_eq!(steps.last(), Some(&Step::Done));
        assert!(steps.contains(&Step::Removed("a.txt".into())));
    }
}
