//! A progress bar on stderr while a forecast simulates.
//!
//! It appears only once a run has taken [`DELAY`], and never when stderr is
//! not a terminal (a pipe, a log file, CI) or with `--quiet`, so scripted
//! output stays clean.

use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use slipcast::analysis::Progress;

/// Runs shorter than this show nothing.
pub const DELAY: Duration = Duration::from_millis(800);

/// How often the bar is updated.
const TICK: Duration = Duration::from_millis(50);

/// The time left as the bar shows it: `, 12s left`, or nothing until there
/// is progress to estimate it from (no "0s left" at 0%).
fn time_left(done: u64, total: u64, eta: Duration) -> String {
    if done == 0 || done >= total || eta.is_zero() {
        String::new()
    } else {
        format!(", {:#} left", HumanDuration(eta))
    }
}

/// Runs `work` on a scoped thread, passing it a [`Progress`] (iterations
/// done, out of a total `work` sets once it knows it), and shows a bar for
/// it on stderr unless `quiet`. When the count reaches the total and `work`
/// is still busy, the bar turns into a spinner labelled `then`.
///
/// # Panics
///
/// Re-raises a panic of `work`.
pub fn with_progress<T: Send>(
    quiet: bool,
    then: &str,
    work: impl FnOnce(&Progress) -> T + Send,
) -> T {
    let progress = Progress::default();
    if quiet || !std::io::stderr().is_terminal() {
        return work(&progress);
    }
    std::thread::scope(|s| {
        let handle = s.spawn(|| work(&progress));
        let start = Instant::now();
        let mut bar: Option<ProgressBar> = None;
        let mut simulating = true;
        while !handle.is_finished() {
            std::thread::sleep(TICK);
            let total = progress.total.load(Ordering::Relaxed);
            if bar.is_none() && total > 0 && start.elapsed() >= DELAY {
                let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                b.set_style(
                    // `wide_bar` takes what the terminal has left: one line at
                    // any width.
                    ProgressStyle::with_template(
                        "{msg} [{wide_bar}] {percent:>3}% of {human_len} iterations{left}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let total = s.len().unwrap_or(0);
                        let _ = w.write_str(&time_left(s.pos(), total, s.eta()));
                    })
                    .progress_chars("=> "),
                );
                b.set_message("Simulating");
                bar = Some(b);
            }
            let Some(b) = &bar else { continue };
            let n = progress.done.load(Ordering::Relaxed).min(total);
            b.set_position(n);
            if simulating && n >= total {
                simulating = false;
                b.set_style(
                    ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                b.set_message(then.to_string());
                b.enable_steady_tick(Duration::from_millis(120));
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_time_left_until_there_is_progress() {
        // Issue item 8: "0s left" at 0% said nothing true.
        let eta = Duration::from_secs(75);
        assert_eq!(time_left(0, 1000, eta), "");
        assert_eq!(time_left(0, 1000, Duration::ZERO), "");
        assert_eq!(time_left(10, 1000, Duration::ZERO), "");
        assert_eq!(time_left(1000, 1000, eta), "");
        assert_eq!(time_left(10, 1000, eta), ", 75s left");
    }
}
