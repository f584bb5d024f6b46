//! Team capacity on public benchmark instances: five PSPLIB j30 projects
//! (30 jobs, four renewable resources; `tests/data/psplib/README.md`).
//! Each is read from its `.sm` file into a plan (fixed durations,
//! finish-to-start links) and a capacity of four pools R1..R4, scheduled
//! by the engine, and the schedule is checked independently: every link
//! kept, no pool over its capacity at any time, a makespan no shorter than
//! the critical path, the resource bound or the published optimum, and a
//! simulation whose every iteration ends on the deterministic makespan.

use slipcast::engine::{SimOptions, deterministic, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{Capacity, Plan, Team, parse_plan};

/// The instances, with their published optimal makespans (PSPLIB's j30
/// optima, as listed in `tests/data/psplib/README.md`).
const INSTANCES: [(&str, u32); 5] = [
    ("j301_1", 43),
    ("j301_2", 47),
    ("j3017_1", 64),
    ("j3033_1", 65),
    ("j3048_10", 54),
];

/// Renewable resources in every PSPLIB single-mode instance.
const RESOURCES: usize = 4;

/// One PSPLIB single-mode instance. Jobs are numbered from 1; job 1 and
/// job `jobs` are the dummy source and sink.
#[derive(Debug)]
struct Instance {
    jobs: usize,
    /// The MPM-Time of the project information: the critical path.
    mpm: u32,
    /// Per job (index `job - 1`): its successors (job numbers).
    successors: Vec<Vec<usize>>,
    /// Per job: its duration.
    duration: Vec<u32>,
    /// Per job: its demand on each resource.
    demand: Vec<[u32; RESOURCES]>,
    /// Per resource: its availability.
    capacity: [u32; RESOURCES],
}

fn numbers(line: &str) -> Vec<u32> {
    line.split_whitespace()
        .map(|w| w.parse().unwrap_or_else(|_| panic!("not a number: {w:?}")))
        .collect()
}

/// The lines after the one starting with `header`, blank and rule lines
/// (`---`, `***`) skipped.
fn after<'a>(lines: &[&'a str], header: &str) -> Vec<&'a str> {
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(header))
        .unwrap_or_else(|| panic!("no {header:?} section"));
    lines[at + 1..]
        .iter()
        .copied()
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("---") && !t.starts_with("***")
        })
        .collect()
}

fn parse_sm(text: &str) -> Instance {
    let lines: Vec<&str> = text.lines().collect();
    let field = |key: &str| -> u32 {
        let line = lines
            .iter()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key:?} line"));
        let value = line.split(':').nth(1).expect("a value after ':'");
        numbers(value.trim_end_matches(['R', 'N', 'D', ' ']))[0]
    };
    let jobs = field("jobs (incl. supersource/sink )") as usize;
    assert_eq!(field("projects"), 1);
    assert_eq!(field("- renewable") as usize, RESOURCES);
    assert_eq!(field("- nonrenewable"), 0);
    assert_eq!(field("- doubly constrained"), 0);

    // `pronr. #jobs rel.date duedate tardcost MPM-Time`, then the values.
    let info = after(&lines, "PROJECT INFORMATION:");
    assert!(info[0].contains("MPM-Time"), "{}", info[0]);
    let info = numbers(info[1]);
    assert_eq!(info.len(), 6);
    assert_eq!(info[1] as usize, jobs - 2);
    let mpm = info[5];

    // `jobnr. #modes #successors successors...`
    let prec = after(&lines, "PRECEDENCE RELATIONS:");
    assert!(prec[0].starts_with("jobnr."), "{}", prec[0]);
    let mut successors = Vec::with_capacity(jobs);
    for (j, line) in prec[1..=jobs].iter().enumerate() {
        let v = numbers(line);
        assert_eq!(v[0] as usize, j + 1, "precedence row {line:?}");
        assert_eq!(v[1], 1, "single mode");
        assert_eq!(v.len(), 3 + v[2] as usize, "successor count in {line:?}");
        successors.push(v[3..].iter().map(|&s| s as usize).collect::<Vec<_>>());
    }

    // `jobnr. mode duration R 1 R 2 R 3 R 4`
    let req = after(&lines, "REQUESTS/DURATIONS:");
    assert!(req[0].starts_with("jobnr."), "{}", req[0]);
    let (mut duration, mut demand) = (Vec::with_capacity(jobs), Vec::with_capacity(jobs));
    for (j, line) in req[1..=jobs].iter().enumerate() {
        let v = numbers(line);
        assert_eq!(v.len(), 3 + RESOURCES, "{line:?}");
        assert_eq!((v[0] as usize, v[1]), (j + 1, 1), "{line:?}");
        duration.push(v[2]);
        demand.push([v[3], v[4], v[5], v[6]]);
    }

    let avail = after(&lines, "RESOURCEAVAILABILITIES:");
    assert!(avail[0].trim_start().starts_with('R'), "{}", avail[0]);
    let capacity: [u32; RESOURCES] = numbers(avail[1]).try_into().expect("4 capacities");

    Instance {
        jobs,
        mpm,
        successors,
        duration,
        demand,
        capacity,
    }
}

fn read(name: &str) -> Instance {
    let path = format!("{}/tests/data/psplib/{name}.sm", env!("CARGO_MANIFEST_DIR"));
    parse_sm(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// Task id of job `j`.
fn id(j: usize) -> String {
    format!("j{j}")
}

impl Instance {
    /// The real jobs: all but the dummy source (1) and sink (`jobs`).
    fn real(&self) -> std::ops::Range<usize> {
        2..self.jobs
    }

    /// Per job: its predecessors (job numbers).
    fn predecessors(&self) -> Vec<Vec<usize>> {
        let mut pred = vec![Vec::new(); self.jobs];
        for (j, succ) in self.successors.iter().enumerate() {
            for &s in succ {
                pred[s - 1].push(j + 1);
            }
        }
        pred
    }

    /// The precedence-only critical path, by a forward pass in job order.
    fn critical_path(&self) -> u32 {
        let mut es = vec![0u32; self.jobs];
        for j in 1..=self.jobs {
            let f = es[j - 1] + self.duration[j - 1];
            for &s in &self.successors[j - 1] {
                es[s - 1] = es[s - 1].max(f);
            }
        }
        es[self.jobs - 1]
    }

    /// `max_r ceil(sum_j d_j q_jr / R_r)`.
    fn resource_bound(&self) -> u32 {
        (0..RESOURCES)
            .map(|r| {
                let work: u32 = (0..self.jobs)
                    .map(|j| self.duration[j] * self.demand[j][r])
                    .sum();
                work.div_ceil(self.capacity[r])
            })
            .max()
            .unwrap()
    }

    /// The plan of the real jobs: fixed durations, finish-to-start links.
    fn plan(&self) -> Plan {
        let pred = self.predecessors();
        let mut text = String::from("id,low,likely,high,depends_on\n");
        for j in self.real() {
            let d = self.duration[j - 1];
            let deps: Vec<String> = pred[j - 1]
                .iter()
                .filter(|&&p| p != 1)
                .map(|&p| id(p))
                .collect();
            text.push_str(&format!("{},{d},{d},{d},{}\n", id(j), deps.join(";")));
        }
        parse_plan("plan.csv", &text, None).expect("valid plan")
    }

    /// Pools R1..R4 with the availabilities as people, and per plan task
    /// its non-zero demands.
    fn capacity(&self, plan: &Plan) -> Capacity {
        let pools = (0..RESOURCES)
            .map(|r| Team {
                name: format!("R{}", r + 1),
                people: self.capacity[r],
                unplanned: None,
            })
            .collect();
        let demands = plan
            .tasks
            .iter()
            .map(|t| {
                let j: usize = t.id[1..].parse().unwrap();
                (0..RESOURCES)
                    .filter(|&r| self.demand[j - 1][r] > 0)
                    .map(|r| (r, self.demand[j - 1][r]))
                    .collect()
            })
            .collect();
        Capacity::new(plan, pools, demands).expect("every demand within its pool")
    }
}

#[test]
fn the_instances_read_as_psplib_describes_them() {
    for (name, _) in INSTANCES {
        let inst = read(name);
        assert_eq!(inst.jobs, 32, "{name}");
        // Dummy source and sink of no duration and no demand; real jobs
        // of 1 to 10 days, none over a pool's capacity.
        for j in [1, inst.jobs] {
            assert_eq!(inst.duration[j - 1], 0, "{name} job {j}");
            assert_eq!(inst.demand[j - 1], [0; RESOURCES], "{name} job {j}");
        }
        for j in inst.real() {
            assert!((1..=10).contains(&inst.duration[j - 1]), "{name} job {j}");
            for r in 0..RESOURCES {
                assert!(inst.demand[j - 1][r] <= inst.capacity[r], "{name} job {j}");
            }
        }
        // Jobs are numbered in topological order, the sink has no successor.
        for (j, succ) in inst.successors.iter().enumerate() {
            assert!(succ.iter().all(|&s| s > j + 1 && s <= inst.jobs), "{name}");
        }
        assert!(inst.successors[inst.jobs - 1].is_empty());
        assert_eq!(inst.critical_path(), inst.mpm, "{name}: MPM-Time");
        let plan = inst.plan();
        assert_eq!(plan.tasks.len(), 30, "{name}");
    }
}

#[test]
fn psplib_j30_schedules_are_feasible_and_no_shorter_than_any_bound() {
    println!(
        "{:<9} {:>4} {:>6} {:>7} {:>8} {:>7}",
        "instance", "CP", "resLB", "optimum", "slipcast", "gap %"
    );
    let mut gaps = Vec::new();
    for (name, optimum) in INSTANCES {
        let inst = read(name);
        let plan = inst.plan();
        let cap = inst.capacity(&plan);
        let net = Network::compile_with(
            &plan,
            &Model {
                capacity: Some(&cap),
                ..Model::default()
            },
        );
        let det = deterministic(&net);

        // Job number, start and duration of each plan task.
        let job = |t: usize| -> usize { plan.tasks[t].id[1..].parse().unwrap() };
        let start = &det.start;
        let dur = |t: usize| f64::from(inst.duration[job(t) - 1]);
        let at = |j: usize| {
            plan.index_of(&id(j))
                .unwrap_or_else(|| panic!("{name}: no task for job {j}"))
        };
        assert_eq!(start.len(), plan.tasks.len(), "{name}");
        for (t, (&s, &f)) in start.iter().zip(&det.finish).enumerate() {
            assert!(
                s >= 0.0 && s.fract() == 0.0,
                "{name}: job {} starts at {s}",
                job(t)
            );
            assert_eq!(f, s + dur(t), "{name}: job {}", job(t));
        }

        // Every precedence of the file kept (those to the sink bound the
        // makespan instead).
        let mut makespan_from_jobs = 0f64;
        for j in inst.real() {
            let t = at(j);
            let finish = start[t] + dur(t);
            makespan_from_jobs = makespan_from_jobs.max(finish);
            for &s in &inst.successors[j - 1] {
                if s == inst.jobs {
                    continue;
                }
                let u = at(s);
                assert!(
                    start[u] >= finish,
                    "{name}: link {j} -> {s} broken: {j} runs {}..{finish}, {s} starts at {}",
                    start[t],
                    start[u]
                );
            }
        }
        let makespan = det.project;
        assert_eq!(makespan, makespan_from_jobs, "{name}");

        // Each pool's load at every whole day within capacity.
        let horizon = makespan as u32;
        for day in 0..horizon {
            let time = f64::from(day);
            let running: Vec<usize> = (0..plan.tasks.len())
                .filter(|&t| start[t] <= time && time < start[t] + dur(t))
                .collect();
            for r in 0..RESOURCES {
                let load: u32 = running.iter().map(|&t| inst.demand[job(t) - 1][r]).sum();
                assert!(
                    load <= inst.capacity[r],
                    "{name}: R{} has {load} in use of {} on day {day}: jobs {:?}",
                    r + 1,
                    inst.capacity[r],
                    running
                        .iter()
                        .map(|&t| (job(t), start[t], dur(t), inst.demand[job(t) - 1][r]))
                        .collect::<Vec<_>>()
                );
            }
        }

        // Bounds: precedence only, resources only, the proven optimum.
        let cp = inst.critical_path();
        assert_eq!(cp, inst.mpm, "{name}: MPM-Time");
        let lb = inst.resource_bound();
        assert!(makespan >= f64::from(cp), "{name}: {makespan} < CP {cp}");
        assert!(makespan >= f64::from(lb), "{name}: {makespan} < bound {lb}");
        assert!(
            makespan >= f64::from(optimum),
            "{name}: {makespan} is shorter than the optimum {optimum}"
        );
        let gap = 100.0 * (makespan - f64::from(optimum)) / f64::from(optimum);
        gaps.push(gap);

        // Fixed durations: every iteration is the deterministic schedule.
        let sim = simulate(&net, &SimOptions::finish_only(1_000, 7));
        assert_eq!(sim.project.len(), 1_000);
        assert!(
            sim.project.iter().all(|&x| f64::from(x) == makespan),
            "{name}: an iteration ends at {:?}, not {makespan}",
            sim.project.iter().find(|&&x| f64::from(x) != makespan)
        );

        println!("{name:<9} {cp:>4} {lb:>6} {optimum:>7} {makespan:>8} {gap:>7.1}");
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    println!("average gap to the optimum: {mean:.1}%");
}
