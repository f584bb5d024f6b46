//! What this machine can hold: a run's iterations times the bytes each one
//! keeps, against the memory the process may still use. Checked before any
//! work, so a run too large fails at once with a fix instead of aborting on
//! a failed allocation minutes later.

use anyhow::{Result, bail};

/// Bytes every iteration keeps at the peak of a run: its finish time (f32)
/// and the sorted copy behind the percentiles, plus a margin (measured: 7.8
/// bytes per iteration for a forecast, 15.7 for a cut-line sweep, 4 per
/// scenario plus 8 for a comparison).
pub const FORECAST_BYTES: u64 = 12;
/// See [`FORECAST_BYTES`].
pub const CUTLINE_BYTES: u64 = 20;

/// A comparison of `scenarios` plans keeps each one's finish times.
pub fn compare_bytes(scenarios: usize) -> u64 {
    4 * scenarios as u64 + 12
}

/// Memory this process can still use, in bytes, and what limits it: the
/// system's available memory, the control group's limit, and the
/// address-space limit (`ulimit -v`), whichever is least. `None` where none
/// can be read.
pub fn available() -> Option<(u64, &'static str)> {
    let mut best: Option<(u64, &'static str)> = None;
    let mut offer = |bytes: Option<u64>, why: &'static str| {
        if let Some(b) = bytes
            && best.is_none_or(|(a, _)| b < a)
        {
            best = Some((b, why));
        }
    };
    offer(meminfo_available(), "the memory available on this machine");
    offer(
        cgroup_available(),
        "the memory limit of this process's control group",
    );
    offer(
        address_space_available(),
        "the address-space limit (ulimit -v)",
    );
    best
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// A `Key:   123 kB` line of a /proc file, in bytes.
fn kb_field(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

fn meminfo_available() -> Option<u64> {
    kb_field(&read("/proc/meminfo")?, "MemAvailable:")
}

/// cgroup v2: `memory.max - memory.current` of this process's group.
fn cgroup_available() -> Option<u64> {
    let own = read("/proc/self/cgroup")?;
    let path = own.lines().find_map(|l| l.strip_prefix("0::"))?.trim();
    let dir = format!("/sys/fs/cgroup{path}");
    let max: u64 = read(&format!("{dir}/memory.max"))?.trim().parse().ok()?;
    let current: u64 = read(&format!("{dir}/memory.current"))?
        .trim()
        .parse()
        .ok()?;
    Some(max.saturating_sub(current))
}

#[cfg(target_os = "linux")]
fn address_space_available() -> Option<u64> {
    use rustix::process::{Resource, getrlimit};
    let limit = getrlimit(Resource::As).current?;
    let used = kb_field(&read("/proc/self/status")?, "VmSize:").unwrap_or(0);
    Some(limit.saturating_sub(used))
}

#[cfg(not(target_os = "linux"))]
fn address_space_available() -> Option<u64> {
    None
}

/// The most iterations that fit, at `bytes_per_iteration`, in what
/// [`available`] reports (`None`: no limit could be read).
pub fn max_iterations(bytes_per_iteration: u64) -> Option<u64> {
    // Leave room for the plan, the network, the threads and the report.
    available().map(|(bytes, _)| bytes.saturating_sub(64 << 20) / bytes_per_iteration)
}

fn gb(bytes: f64) -> String {
    format!("{:.1} GB", bytes / 1e9)
}

/// Checks that `iterations` at `bytes_per_iteration` fit in memory.
///
/// # Errors
///
/// Naming the need, the limit and what to do: a lower `-n` that fits, or
/// `--precision`.
pub fn check_memory(iterations: u64, bytes_per_iteration: u64) -> Result<()> {
    let Some((bytes, why)) = available() else {
        return Ok(());
    };
    let fit = max_iterations(bytes_per_iteration).unwrap_or(u64::MAX);
    if iterations <= fit {
        return Ok(());
    }
    let need = iterations as f64 * bytes_per_iteration as f64;
    // A round suggestion below what fits.
    let suggest = [
        100_000_000u64,
        50_000_000,
        20_000_000,
        10_000_000,
        5_000_000,
        1_000_000,
    ]
    .into_iter()
    .find(|&n| n <= fit)
    .unwrap_or(fit.max(1));
    bail!(
        "-n {iterations} needs about {} of memory ({bytes_per_iteration} bytes per iteration), \
         more than the {} left under {why}. Use a lower -n (e.g. -n {suggest}; 1M iterations \
         put a P80 within a few hundredths of a working day), or --precision DAYS to run only \
         the iterations a precision needs",
        gb(need),
        gb(bytes as f64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_fields() {
        let text = "MemTotal:       24000000 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(kb_field(text, "MemAvailable:"), Some(20_000_000 * 1024));
        assert_eq!(kb_field(text, "VmSize:"), None);
    }

    #[test]
    fn a_small_run_fits_and_an_absurd_one_does_not() {
        check_memory(1000, FORECAST_BYTES).unwrap();
        if available().is_some() {
            let e = check_memory(u64::MAX / 64, FORECAST_BYTES)
                .unwrap_err()
                .to_string();
            assert!(e.contains("needs about") && e.contains("lower -n"), "{e}");
        }
    }
}
