//! Helpers of the team-capacity tests: plans from CSV text, teams, and
//! networks compiled with a capacity.

use slipcast::network::{Model, Network};
use slipcast::plan::{Capacity, Plan, Risk, Team, parse_plan, parse_risks};

/// A plan from CSV text (named `plan.csv`).
pub fn plan(text: &str) -> Plan {
    parse_plan("plan.csv", text, None).expect("valid plan")
}

/// A team of `people`, with unplanned work in `unplanned`.
pub fn team(name: &str, people: u32, unplanned: Option<(f64, f64)>) -> Team {
    Team {
        name: name.into(),
        people,
        unplanned,
    }
}

/// `p` compiled with `capacity` (and nothing else).
pub fn compile(p: &Plan, capacity: &Capacity) -> Network {
    Network::compile_with(
        p,
        &Model {
            capacity: Some(capacity),
            ..Model::default()
        },
    )
}

/// A 40-task plan with every link kind and lag, uncertain estimates, a
/// risk, team correlation and four teams.
pub fn tangled() -> (Plan, Vec<Risk>) {
    let mut text = String::from("id,team,low,likely,high,dist,depends_on\n");
    let teams = ["be", "fe", "qa", "ops"];
    let kinds = ["", ":SS+1", ":FF", ":SF+2", "-1", ":FS+0.5"];
    for i in 0..40usize {
        let mut deps = Vec::new();
        if i >= 3 {
            deps.push(format!("t{}{}", i - 3, kinds[i % kinds.len()]));
        }
        if i >= 7 && i % 2 == 0 {
            deps.push(format!("t{}", i - 7));
        }
        let lo = 1.0 + (i % 5) as f64;
        let dist = ["triangular", "pert", "uniform"][i % 3];
        text.push_str(&format!(
            "t{i},{},{lo},{},{},{dist},{}\n",
            teams[i % 4],
            lo + 1.5,
            lo + 4.0 + (i % 3) as f64,
            deps.join(";")
        ));
    }
    let p = plan(&text);
    let risks = parse_risks(
        "r.csv",
        "id,probability,low,likely,high,affects\nr1,0.3,2,4,8,t5;t20\n",
        &p,
    )
    .unwrap();
    (p, risks)
}
