//! Helpers of the team-capacity tests: plans from CSV text, teams, and
//! networks compiled with a capacity.

use slipcast::network::{Model, Network};
use slipcast::plan::{Capacity, Plan, Team, parse_plan};

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
