//! slipcast forecasts when a plan will land, by Monte Carlo simulation.
//!
//! Data flows one way: [`plan`] (CSV to a validated [`plan::Plan`]) ->
//! [`network`] (the compiled flat form) -> [`engine`] (the simulation) ->
//! [`analysis`] (what the draws mean) -> [`report`] (how it is shown).
#![warn(missing_docs)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod analysis;
pub mod engine;
pub mod network;
pub mod plan;
pub mod report;
mod text;
