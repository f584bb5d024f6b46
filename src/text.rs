//! Text helpers shared by every layer (plan messages and reports alike).

/// `1234567` as `1,234,567`.
///
/// # Examples
///
/// ```
/// assert_eq!(slipcast::report::group_digits(1_000_000), "1,000,000");
/// ```
pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
