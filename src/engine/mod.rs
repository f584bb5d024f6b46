//! How a plan is simulated: counter-based random streams ([`rng`]), the
//! batched schedule of [`LANES`] iterations at a time ([`schedule`]), and the
//! parallel driver with streaming accumulators ([`simulate()`]).
//!
//! The engine never prints and never holds tasks x iterations in memory.

pub mod rng;
pub mod schedule;
pub mod simd;
mod simulate;

pub use schedule::{LANES, Workspace};
pub use simd::Simd;
pub use simulate::{
    CHUNK, Deterministic, FinishDays, Outcomes, SimOptions, deterministic, simulate,
};
