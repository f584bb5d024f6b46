//! The README's first command prints exactly the output shown under it.

mod common;

use common::slipcast;

#[test]
fn readme_first_command_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let command = readme
        .lines()
        .find_map(|l| l.strip_prefix("cargo run --release -- "))
        .expect("the README opens with a cargo run command");
    let shown: String = readme
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the output block under it")
        .to_string();
    let out = slipcast()
        .args(command.split_whitespace())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(printed, shown, "README's first output block is stale");
}
