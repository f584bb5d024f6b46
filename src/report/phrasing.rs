//! How numbers, dates and findings are put into words, the same way in the
//! charts, the HTML report and the Markdown summary.

use chrono::NaiveDate;

use crate::analysis::Forecast;
use crate::report::percent;

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

/// A date with its weekday: `Wed 2027-03-31`.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// The working-day number of `date` in the forecast's finish histogram, if
/// the histogram covers it (it covers every day from the earliest simulated
/// finish to P99.9, and the plan date).
pub fn workday_number(f: &Forecast, date: NaiveDate) -> Option<u64> {
    f.finish_days.iter().find(|d| d.date == date).map(|d| d.day)
}

/// Where `date` lies against the plan date, in working days:
/// `8 working days after the plan date`, `on the plan date`, or `1 working
/// day before the plan date`. `None` if the histogram does not cover both.
pub fn against_plan(f: &Forecast, date: NaiveDate) -> Option<String> {
    let d = workday_number(f, date)?;
    let p = workday_number(f, f.deterministic.finish)?;
    Some(match d.cmp(&p) {
        std::cmp::Ordering::Equal => "on the plan date".to_string(),
        std::cmp::Ordering::Greater => format!("{} after the plan date", working_days(d - p)),
        std::cmp::Ordering::Less => format!("{} before the plan date", working_days(p - d)),
    })
}

/// `1 working day`, `8 working days`.
pub fn working_days(n: u64) -> String {
    if n == 1 {
        "1 working day".into()
    } else {
        format!("{n} working days")
    }
}

/// What is forecast: `the finish of milestone "ga"` or `the finish of all
/// tasks`.
pub fn target(f: &Forecast) -> String {
    match &f.milestone {
        Some(m) => format!("the finish of milestone \u{201c}{m}\u{201d}"),
        None => "the finish of all tasks".into(),
    }
}

/// The headline commitment: "We are 80% confident of delivery by Wed
/// 2027-03-31; the plan date, Fri 2027-03-19, has a 4% chance."
pub fn commitment(f: &Forecast) -> String {
    let mut s = format!(
        "We are 80% confident of delivery by {}; the plan date, {}, has a {} chance.",
        long_date(f.finish.p80),
        long_date(f.deterministic.finish),
        percent(f.deterministic.probability)
    );
    if let Some(t) = &f.target {
        s.push_str(&format!(
            " The target, {}, has a {} chance.",
            long_date(t.date),
            percent(t.probability)
        ));
    }
    s
}

/// The calendar in words: `Mon-Fri, 11 holidays (holidays-2027.csv)`.
pub fn calendar(f: &Forecast) -> String {
    let c = &f.calendar;
    let mut s = c.workdays.clone();
    match c.holidays.len() {
        0 => s.push_str(", no holidays"),
        1 => s.push_str(", 1 holiday"),
        n => s.push_str(&format!(", {n} holidays")),
    }
    if let Some(file) = &c.holidays_file {
        s.push_str(&format!(" ({file})"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_days() {
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(working_days(1), "1 working day");
        assert_eq!(working_days(17), "17 working days");
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()),
            "Wed 2027-03-31"
        );
    }
}
