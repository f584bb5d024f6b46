//! How a plan is simulated: counter-based random streams ([`rng`]), the
//! batched schedule of [`LANES`] iterations at a time ([`Workspace`]), and the
//! parallel driver with streaming accumulators ([`simulate()`]).
//!
//! The engine never prints and never holds tasks x iterations in memory.

mod convert;
mod nested;
mod regenerate;
pub mod rng;
mod schedule;
mod simd;
mod simulate;
mod variants;

pub use nested::simulate_nested;
pub use regenerate::Regenerator;
pub use schedule::{LANES, Workspace};
pub use simd::Simd;
pub use simulate::{
    CHUNK, Deterministic, FinishDays, Moments, Outcomes, SimOptions, deterministic, simulate,
};
pub use variants::{Variant, simulate_variants};
