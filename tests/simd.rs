//! Every instruction-set path of the kernel gives bit-identical results
//!: the kernel uses only correctly rounded operations and every random-block
//! generator computes the same ARS-5 words, so the AVX-512 and AVX2 builds
//! (each with and without VAES) and the portable build must agree to the
//! bit. Paths this CPU lacks are skipped, with a note.

use slipcast::engine::rng::Software;
use slipcast::engine::{Regenerator, SimOptions, Simd, Workspace, simulate};
use slipcast::network::{Model, Network};
use slipcast::plan::{TeamRule, build_correlation, parse_plan, parse_risks};

#[test]
fn every_available_path_gives_the_same_outcomes() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/examples/checkout-v2.csv"
    ))
    .unwrap();
    let plan = parse_plan("checkout-v2.csv", &text, None).unwrap();
    let risks = parse_risks(
        "r.csv",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/examples/checkout-v2-risks.csv"
        ))
        .unwrap(),
        &plan,
    )
    .unwrap();
    let corr = build_correlation(&plan, &[TeamRule::AllTeams(0.5)], &[]).unwrap();
    let net = Network::compile_with(
        &plan,
        &Model {
            milestone: None,
            risks: &risks,
            correlation: corr.as_ref(),
            ..Model::default()
        },
    );
    let run = |simd| {
        simulate(
            &net,
            &SimOptions {
                simd: Some(simd),
                moments: u64::MAX,
                ..SimOptions::full(20_011, 5)
            },
        )
    };
    let reference = run(Simd::Portable);
    let mut compared = 0;
    for simd in Simd::ALL {
        if !simd.is_available() {
            eprintln!("note: {simd} is not available on this CPU; not compared");
            continue;
        }
        assert!(
            run(simd) == reference,
            "{simd} differs from the portable path"
        );
        compared += 1;
    }
    assert!(compared >= 1);
    // The second pass's per-task redraw is the same arithmetic as the main
    // pass: bit-identical durations, risks and copula included.
    let mut ws = Workspace::new(&net, 5);
    for first in [0u64, 640, 12_800] {
        ws.sample::<Software>(&net, first);
        for pos in 0..net.len() {
            let main = *ws.duration(pos);
            assert!(
                ws.task_durations::<Software>(&net, pos, first) == main,
                "task at {pos}"
            );
        }
    }
    let mut regen = Regenerator::new(&net, 5);
    let mut buf = vec![0f32; 700];
    regen.task(3, &mut buf);
    ws.sample::<Software>(&net, 640);
    assert!(buf[640..700] == ws.duration(net.position(3))[..60]);
}
