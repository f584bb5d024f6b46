//! How a plan is simulated: counter-based random streams ([`rng`]), the
//! batched schedule of [`LANES`] iterations at a time ([`Workspace`]), the
//! parallel driver with streaming accumulators ([`simulate()`]), and second
//! passes that redraw what it does not store ([`Regenerator`],
//! [`uniform_sums`]), and one iteration's critical path
//! ([`Workspace::critical_chain`]).
//!
//! The engine never prints and never holds tasks x iterations in memory.

mod convert;
mod nested;
mod path;
mod quantile;
mod ranks;
mod regenerate;
pub mod rng;
mod schedule;
mod simd;
mod simulate;
mod variants;

pub use nested::{simulate_nested, simulate_nested_part};
pub use path::{ChainStep, Via};
pub use ranks::{UniformSums, uniform_sums};
pub use regenerate::Regenerator;
pub use schedule::{LANES, Workspace};
pub use simd::Simd;
pub use simulate::{
    CHUNK, Deterministic, FinishDays, Moments, Outcomes, Progress, SimOptions, Tallies, TallyError,
    deterministic, simulate, simulate_part,
};
pub use variants::{Variant, simulate_variants};
