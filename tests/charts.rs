//! Charts: every chart renders to a PNG of the expected size that
//! is not blank, and to an SVG that parses as XML and carries its labels;
//! rendering is deterministic; crowded and hostile inputs stay legible.

use std::collections::BTreeMap;
use std::path::Path;

use slipcast::analysis::{
    Confidence, DriverKind, Forecast, ForecastInputs, ForecastOptions, RunBasis, Scope,
    SweepOptions, Target, forecast, sweep,
};
use slipcast::network::Network;
use slipcast::plan::{
    Calendar, Scenario, WEEKDAYS, load_holidays, load_plan, load_risks, parse_plan,
};
use slipcast::report::chart::{
    Chart, ChartKind, CriticalityView, CutlineView, DriverBar, FinishView, MarkerKind, TornadoView,
};

const ITERATIONS: u64 = 4_000;

/// The checkout example with its holidays and risk register, to milestone
/// `ga`, seed 42: sensitivity and drivers included, as `slipcast report`
/// computes them.
fn checkout() -> Forecast {
    let plan = load_plan(Path::new("data/examples/checkout-v2.csv"), None).unwrap();
    let risks = load_risks(Path::new("data/examples/checkout-v2-risks.csv"), &plan).unwrap();
    let holidays = load_holidays(Path::new("data/examples/holidays-2027.csv")).unwrap();
    let cal = Calendar::new("2027-01-04".parse().unwrap(), WEEKDAYS, holidays).unwrap();
    forecast_of(&plan, &risks, &cal, plan.index_of("ga"))
}

fn forecast_of(
    plan: &slipcast::plan::Plan,
    risks: &[slipcast::plan::Risk],
    cal: &Calendar,
    milestone: Option<usize>,
) -> Forecast {
    let sc = Scenario {
        risks: risks.to_vec(),
        milestone,
        ..Scenario::new(plan.clone())
    };
    let opts = ForecastOptions {
        driver_tasks: 8,
        ..ForecastOptions::new(cal, ITERATIONS, 42)
    };
    forecast(&sc, &opts, None).unwrap().0
}

/// Decodes a PNG: (width, height, RGB bytes).
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).expect("PNG image data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Share of pixels that are not (near) white.
fn inked(rgb: &[u8]) -> f64 {
    let px = rgb.chunks_exact(3);
    let n = px.len();
    let ink = px.filter(|p| p.iter().any(|&c| c < 235)).count();
    ink as f64 / n as f64
}

/// Every `<text>` element of an SVG: (x, y, anchor, font size, text).
fn texts(svg: &str) -> Vec<(f64, f64, String, f64, String)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let num = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (
                num("x"),
                num("y"),
                n.attribute("text-anchor").unwrap_or("start").to_string(),
                num("font-size"),
                n.text().unwrap_or("").trim().to_string(),
            )
        })
        .collect()
}

fn short(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

#[test]
fn every_chart_renders_to_png_and_svg() {
    let f = checkout();
    let charts = Chart::all(&f);
    assert_eq!(
        charts.iter().map(Chart::kind).collect::<Vec<_>>(),
        ChartKind::ALL.to_vec()
    );
    for c in &charts {
        let (w, h) = c.size();
        let (pw, ph, rgb) = decode(&c.png().unwrap());
        assert_eq!((pw, ph), (w, h), "{} PNG size", c.kind());
        let share = inked(&rgb);
        assert!(
            share > 0.04 && share < 0.6,
            "{} PNG: {share:.3} of pixels inked",
            c.kind()
        );
        let svg = c.svg().unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some(w.to_string().as_str()));
        assert_eq!(root.attribute("height"), Some(h.to_string().as_str()));
        let all: Vec<String> = texts(&svg).into_iter().map(|t| t.4).collect();
        assert!(
            all.iter().any(|t| t == c.title()),
            "{} SVG lacks its title {:?}",
            c.kind(),
            c.title()
        );
    }
    // The P80 labels, as people read them.
    let finish = Chart::new(ChartKind::Finish, &f).svg().unwrap();
    let p80 = format!("P80 {}", short(f.finish.p80));
    assert!(
        texts(&finish).iter().any(|t| t.4 == p80),
        "finish chart lacks {p80:?}"
    );
    assert!(
        Chart::new(ChartKind::Finish, &f)
            .title()
            .starts_with(&format!("P80 {}: ", f.finish.p80.format("%a %Y-%m-%d")))
    );
    let ga = f.tasks.iter().find(|t| t.id == "ga").unwrap();
    let gantt = Chart::new(ChartKind::Milestones, &f).svg().unwrap();
    let label = format!("P80 {}", short(ga.finish.p80));
    assert!(texts(&gantt).iter().any(|t| t.4 == label), "no {label:?}");
}

#[test]
fn rendering_is_deterministic() {
    let f = checkout();
    for kind in ChartKind::ALL {
        let (a, b) = (Chart::new(kind, &f), Chart::new(kind, &f));
        assert_eq!(a.svg().unwrap(), b.svg().unwrap(), "{kind}");
        assert_eq!(a.png().unwrap(), b.png().unwrap(), "{kind}");
    }
}

/// Sixty tasks with 120-character names full of markup characters: the
/// ranked charts keep their top N, truncate names with an ellipsis, keep rows
/// apart, and the SVG stays well-formed.
#[test]
fn crowded_plans_with_long_names_stay_legible() {
    let mut csv = String::from("id,name,low,likely,high,depends_on\n");
    for i in 0..60 {
        let name = format!(
            "Task {i:02} <R&D> \"integration\" of the {} subsystem with every downstream consumer",
            "very-long-named".repeat(3)
        );
        let dep = if i >= 3 {
            format!("t{}", i - 3)
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "t{i},\"{}\",{},{},{},{dep}\n",
            name.replace('"', "\"\""),
            2 + i % 3,
            4 + i % 4,
            9 + i % 5
        ));
    }
    let plan = parse_plan("crowded.csv", &csv, None).unwrap();
    let cal = Calendar::weekdays("2027-01-04".parse().unwrap());
    let f = forecast_of(&plan, &[], &cal, None);
    for kind in ChartKind::ALL {
        let c = Chart::new(kind, &f);
        let svg = c.svg().unwrap();
        let t = texts(&svg);
        // Row labels: right-aligned text left of the plot.
        let labels: Vec<_> = t
            .iter()
            .filter(|t| t.2 == "end" && t.4.starts_with("Task "))
            .collect();
        if kind == ChartKind::Finish {
            continue;
        }
        assert!(!labels.is_empty(), "{kind}: no row labels");
        assert!(labels.len() <= 16 * 2, "{kind}: {} rows", labels.len());
        assert!(
            labels.iter().all(|l| l.4.ends_with('…')),
            "{kind}: long names are truncated"
        );
        // Rows of the same panel (same x) are at least a row apart.
        let mut by_x: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
        for l in &labels {
            by_x.entry(l.0 as i64).or_default().push(l.1);
        }
        for ys in by_x.values_mut() {
            ys.sort_by(f64::total_cmp);
            for w in ys.windows(2) {
                assert!(w[1] - w[0] >= 30.0, "{kind}: rows {w:?} overlap");
            }
        }
        let (_, _, rgb) = decode(&c.png().unwrap());
        assert!(inked(&rgb) > 0.04, "{kind}: blank PNG");
    }
}

/// When P50, P80, P90 and the plan date fall on nearly the same day, the
/// finish chart stacks their labels instead of printing them over each other.
#[test]
fn finish_marker_labels_do_not_overlap() {
    let csv = "id,low,likely,high\na,10,10.5,11.5\n";
    let plan = parse_plan("tight.csv", csv, None).unwrap();
    let cal = Calendar::weekdays("2027-01-04".parse().unwrap());
    let f = forecast_of(&plan, &[], &cal, None);
    let svg = Chart::new(ChartKind::Finish, &f).svg().unwrap();
    let markers: Vec<_> = texts(&svg)
        .into_iter()
        .filter(|t| {
            t.3 < 20.0
                && ["P50 ", "P80 ", "P90 ", "Plan "]
                    .iter()
                    .any(|p| t.4.starts_with(p))
        })
        .collect();
    assert_eq!(markers.len(), 4, "{markers:?}");
    // Generous width estimate for DejaVu Sans Bold: 0.72 em per character.
    let span = |t: &(f64, f64, String, f64, String)| {
        let w = t.4.chars().count() as f64 * t.3 * 0.72;
        match t.2.as_str() {
            "end" => (t.0 - w, t.0),
            "middle" => (t.0 - w / 2.0, t.0 + w / 2.0),
            _ => (t.0, t.0 + w),
        }
    };
    for (i, a) in markers.iter().enumerate() {
        for b in &markers[i + 1..] {
            if (a.1 - b.1).abs() < 20.0 {
                let ((a0, a1), (b0, b1)) = (span(a), span(b));
                assert!(a1 <= b0 || b1 <= a0, "{:?} overlaps {:?}", a.4, b.4);
            }
        }
    }
}

/// The tornado draws whatever drivers it is given, risks and tasks alike,
/// labels the top one in its title, and gives the rest of the gap to a last
/// bar.
#[test]
fn tornado_draws_given_drivers() {
    let f = checkout();
    let view = TornadoView::from_drivers(
        &f,
        vec![
            DriverBar {
                label: "Vendor SDK late".into(),
                kind: DriverKind::Risk,
                days: 4.2,
            },
            DriverBar {
                label: "Checkout API".into(),
                kind: DriverKind::Task,
                days: 1.5,
            },
            DriverBar {
                label: "Never matters".into(),
                kind: DriverKind::Task,
                days: 0.0,
            },
        ],
        Some(10.0),
    );
    assert_eq!(
        view.title,
        "Vendor SDK late adds 4.2 working days to the P80 date"
    );
    assert_eq!(view.ranking.bars.len(), 3);
    let rest = &view.ranking.bars[2];
    assert_eq!(rest.label, "Other, incl. merge bias and 1 smaller driver");
    assert!((rest.value - 4.3).abs() < 1e-12, "{rest:?}");
    let svg = Chart::from(view).svg().unwrap();
    let all: Vec<String> = texts(&svg).into_iter().map(|t| t.4).collect();
    assert!(all.contains(&"+4.2 d".to_string()), "{all:?}");
    assert!(all.contains(&"+4.3 d".to_string()), "{all:?}");
    assert!(all.contains(&"Risk event".to_string()));
}

/// Issue item 5: the driver bars reconcile with the gap between the plan
/// date and P80. In the JSON, the drivers' P80 days and `other_days` add up
/// to `gap_days` exactly, and `gap_days` is P80 less the plan's duration;
/// on the chart, the bars drawn (the rest of the gap last) add up to it too.
#[test]
fn driver_bars_add_up_to_the_gap_to_p80() {
    let f = checkout();
    let json = serde_json::to_value(&f).unwrap();
    let gap = &json["driver_gap"];
    let p80: Vec<f64> = json["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["p80_days"].as_f64().unwrap())
        .collect();
    assert!(p80.len() >= 8, "{p80:?}");
    let (g, other) = (
        gap["gap_days"].as_f64().unwrap(),
        gap["other_days"].as_f64().unwrap(),
    );
    assert_eq!(p80.iter().sum::<f64>() + other, g);
    assert_eq!(p80.iter().rev().sum::<f64>() + other, g, "in any order");
    assert_eq!(gap["drivers_days"].as_f64().unwrap() + other, g);
    let expected = json["duration"]["p80"].as_f64().unwrap()
        - json["deterministic"]["duration"].as_f64().unwrap();
    assert!(
        (g - expected).abs() <= slipcast::analysis::GRID,
        "{g} vs {expected}"
    );
    // The checkout plan's paths merge: the drivers alone miss some of it.
    assert!(other.abs() > 0.05, "{other}");

    let view = TornadoView::new(&f);
    assert_eq!(view.gap, Some(g));
    let bars = &view.ranking.bars;
    assert!(
        bars.last()
            .unwrap()
            .label
            .starts_with("Other, incl. merge bias")
    );
    assert_eq!(bars.iter().map(|b| b.value).sum::<f64>(), g);
}

/// Issue item 5: the finish chart's S-curve and its P50/P80/P90 markers
/// use one day convention. Each marker stands where the curve, as drawn,
/// first reaches its level: at or above it there, below it a day earlier.
#[test]
fn finish_curve_reaches_each_percentile_at_its_marker() {
    let f = checkout();
    let v = FinishView::new(&f);
    for (kind, level) in [
        (MarkerKind::P50, 0.5),
        (MarkerKind::P80, 0.8),
        (MarkerKind::P90, 0.9),
    ] {
        let m = v.markers.iter().find(|m| m.kind == kind).unwrap();
        let at = v.chance_at(m.x()).unwrap();
        let before = v.chance_at(m.x() - 1.0).unwrap();
        assert!(at >= level, "{kind:?}: {at} at its marker");
        assert!(before < level, "{kind:?}: {before} a day before its marker");
        // The tick under the marker is its date.
        let bar = v.days.iter().find(|d| d.day == m.day).unwrap();
        assert!(m.label.ends_with(&slipcast::report::short_date(bar.date)));
    }
}

/// Issue item 5: the criticality and sensitivity panels list the same
/// tasks in the same order (by criticality, then sensitivity), so a row
/// reads across.
#[test]
fn criticality_and_sensitivity_panels_share_their_rows() {
    let f = checkout();
    let v = CriticalityView::new(&f);
    assert_eq!(v.panels.len(), 2);
    let labels =
        |k: usize| -> Vec<&str> { v.panels[k].bars.iter().map(|b| b.label.as_str()).collect() };
    assert_eq!(labels(0), labels(1));
    let crit: Vec<f64> = v.panels[0].bars.iter().map(|b| b.value).collect();
    assert!(crit.windows(2).all(|w| w[0] >= w[1]), "{crit:?}");
    // Among equally critical tasks, the more sensitive first.
    for (a, b) in v.panels[0].bars.iter().zip(&v.panels[0].bars[1..]) {
        if a.value == b.value {
            let sens = |l: &str| {
                let k = labels(1).iter().position(|x| *x == l).unwrap();
                v.panels[1].bars[k].value
            };
            assert!(
                sens(&a.label) >= sens(&b.label),
                "{} before {}",
                a.label,
                b.label
            );
        }
    }
}

/// The cut-line chart (from a sweep, not a forecast): a must-have 10-day
/// task and four optional 5-day tasks in series; a target on working day 20
/// at P80 needs priorities 3 and 4 cut, and the chart says so.
#[test]
fn cutline_chart_states_the_recommended_cut() {
    let csv = "id,likely,depends_on,priority\n\
               core,10,,\n\
               p1,5,core,1\n\
               p2,5,p1,2\n\
               p3,5,p2,3\n\
               p4,5,p3,4\n";
    let plan = parse_plan("series.csv", csv, None).unwrap();
    let cal = Calendar::weekdays("2027-01-04".parse().unwrap());
    let net = Network::compile(&plan, None);
    let inputs = ForecastInputs::new(&plan, RunBasis::new(&cal, 7));
    let opts = SweepOptions {
        iterations: 500,
        seed: 7,
        target: Target::new(cal.workday(20), &cal),
        confidence: Confidence::new(80.0).unwrap(),
        progress: None,
    };
    let line = sweep(&inputs, &net, &Scope::new(&plan, None), &opts);
    let chart = Chart::from(CutlineView::new(&line));
    assert_eq!(chart.kind(), ChartKind::Cutline);
    assert_eq!(
        chart.title(),
        "Cut priority 3-4 to make Fri 2027-01-29 at P80 (100% chance)"
    );
    let (w, h) = chart.size();
    let (pw, ph, rgb) = decode(&chart.png().unwrap());
    assert_eq!((pw, ph), (w, h));
    // Lines on white: less ink than the bar charts, but far from blank.
    let share = inked(&rgb);
    assert!(share > 0.02, "{share:.4} inked");
    let all: Vec<String> = texts(&chart.svg().unwrap())
        .into_iter()
        .map(|t| t.4)
        .collect();
    for expected in [
        "Target Fri 29 Jan",
        "Recommended",
        "priority 3-4",
        "P80 Fri 29 Jan",
    ] {
        assert!(
            all.iter().any(|t| t == expected),
            "no {expected:?} in {all:?}"
        );
    }
}
