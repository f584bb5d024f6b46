//! The report page in a real browser: headless Chromium loads
//! `index.html` from disk, with networking off, and must render it without
//! console errors (a blocked fetch or a script error would be one) into a
//! screenshot that is not blank, with every chart (the P80 world's Gantt
//! chart too) in the DOM.
//!
//! Skipped, with a notice, when `chromium` is not installed; `.ci/run`
//! installs it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 2000;

/// The Chromium binary, if there is one on the PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
}

/// What Chromium printed.
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium on `url` with `args`, killing it after two
/// minutes. Its output goes to files in `work` (a pipe left unread would
/// fill up and stall it).
fn headless(chromium: &Path, work: &Path, args: &[String], url: &str) -> Run {
    let (out_path, err_path) = (work.join("stdout.txt"), work.join("stderr.txt"));
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap_or_default()).into_owned();
    Run {
        success: status.success(),
        stdout: text(&out_path),
        stderr: text(&err_path),
    }
}

/// Console messages and load failures in Chromium's log.
fn page_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Refused to")
                || l.contains("Failed to load resource")
                || l.contains("net::ERR_")
        })
        .collect()
}

/// The page count of a PDF: the `/Count` of its page tree's root.
fn page_count(pdf: &str) -> Option<usize> {
    let tree = &pdf[pdf.find("/Type /Pages")?..];
    let count = &tree[tree.find("/Count ")? + "/Count ".len()..];
    let digits: String = count.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[test]
fn report_renders_in_chromium_without_errors() {
    let Some(chromium) = chromium() else {
        println!("skipped: `chromium` is not installed (apt-get install chromium)");
        return;
    };
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("report");
    let status = Command::new(env!("CARGO_BIN_EXE_slipcast"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "data/examples/checkout-v2.csv",
            "--start",
            "2027-01-04",
            "--milestone",
            "ga",
            "--risks",
            "data/examples/checkout-v2-risks.csv",
            "-n",
            "3000",
            "--drivers",
            "4",
            "--quiet",
            "--out",
        ])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let url = format!("file://{}", dir.join("index.html").display());

    let shot = tmp.path().join("shot.png");
    let out = headless(
        &chromium,
        tmp.path(),
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={WIDTH},{HEIGHT}"),
        ],
        &url,
    );
    assert!(out.success, "chromium failed:\n{}", out.stderr);
    let errors = page_errors(&out.stderr);
    assert!(errors.is_empty(), "{errors:#?}");

    let bytes = fs::read(&shot).expect("a screenshot");
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()].chunks_exact(channels);
    let total = pixels.len();
    let inked = pixels.filter(|p| p[..3].iter().any(|&c| c < 235)).count();
    let share = inked as f64 / total as f64;
    assert!(share > 0.05, "screenshot is nearly blank: {share:.3} inked");

    // The DOM after load: the headline, and every chart as an SVG element.
    let out = headless(&chromium, tmp.path(), &["--dump-dom".to_string()], &url);
    let errors = page_errors(&out.stderr);
    assert!(errors.is_empty(), "{errors:#?}");
    let dom = &out.stdout;
    assert!(dom.contains("We are 80% confident of delivery by"));
    // The four charts, and the Gantt chart of the P80's world in its own
    // section.
    assert_eq!(dom.matches("<svg ").count(), 5, "charts in the DOM");
    assert!(dom.contains("<h2 id=\"world\">What an 80% world looks like</h2>"));
    assert!(dom.contains("<figure id=\"gantt\">"));
    assert!(dom.contains("In an 80% world the finish is"));

    // Printed on Letter (Chromium's default) and on A4 (a copy of the page
    // that asks for it): a PDF of that size, with the charts two to a page
    // rather than one page each.
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    let a4 = dir.join("a4.html");
    fs::write(
        &a4,
        html.replacen("<style>", "<style>@page { size: A4; }", 1),
    )
    .unwrap();
    for (page, url, media_box) in [
        ("Letter", url.clone(), "/MediaBox [0 0 612 792]"),
        (
            "A4",
            format!("file://{}", a4.display()),
            "/MediaBox [0 0 594.9",
        ),
    ] {
        let pdf = tmp.path().join(format!("{page}.pdf"));
        let out = headless(
            &chromium,
            tmp.path(),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".to_string(),
            ],
            &url,
        );
        assert!(
            out.success,
            "chromium failed to print on {page}:\n{}",
            out.stderr
        );
        let bytes = fs::read(&pdf).expect("a PDF");
        let text = String::from_utf8_lossy(&bytes);
        let pages = page_count(&text).expect("a page tree");
        assert!((3..=10).contains(&pages), "{page}: {pages} pages");
        assert!(text.contains(media_box), "{page}: not printed on {page}");
    }
}

/// The report's section on how the forecast moved (`report --history`):
/// its trend and waterfall charts and tables render without errors.
#[test]
fn history_section_renders_in_chromium_without_errors() {
    let Some(chromium) = chromium() else {
        println!("skipped: `chromium` is not installed (apt-get install chromium)");
        return;
    };
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("report");
    let data = "tests/data/history";
    let status = Command::new(env!("CARGO_BIN_EXE_slipcast"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("report")
        .arg(format!("{data}/checkout-2027-01-25.csv"))
        .args(["--start", "2027-01-25", "--target", "2027-04-30"])
        .arg("--history")
        .arg(format!("{data}/checkout-2027-01-11.csv"))
        .arg("--history")
        .arg(format!("{data}/checkout-2027-01-18.csv"))
        .args(["-n", "3000", "--drivers", "2", "--quiet", "--out"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let url = format!("file://{}", dir.join("index.html").display());
    let out = headless(&chromium, tmp.path(), &["--dump-dom".to_string()], &url);
    assert!(out.success, "chromium failed:\n{}", out.stderr);
    let errors = page_errors(&out.stderr);
    assert!(errors.is_empty(), "{errors:#?}");
    let dom = out.stdout;
    assert!(dom.contains("<h2 id=\"history\">How the forecast moved</h2>"));
    assert!(dom.contains("<figure id=\"trend\">") && dom.contains("<figure id=\"waterfall\">"));
    assert!(dom.contains("over 2 updates while 3 tasks completed"));
}
