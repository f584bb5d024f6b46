//! A calendar's conversions over whole rows: working time done by a time
//! ([`work`]), and the time working time ends or begins ([`finish`],
//! [`begin`]), as [`crate::plan::Table`] computes them one value at a time.
//!
//! Each is one table look-up per lane. Where the kernel is compiled for
//! AVX2 (see [`crate::engine::Simd`]), the look-ups are vector gathers of
//! eight lanes; elsewhere, the table's own scalar code. Both do the same
//! correctly rounded operations in the same order, so every path gives the
//! same bits (`tests/simd.rs` compares them).

// Row loops index several rows in lockstep, the form the vectoriser handles.
#![allow(clippy::needless_range_loop)]

use crate::network::Table;

use super::rng::Blocks;
use super::schedule::LANES;

type Row = [f32; LANES];

/// Whether the vector form may run: the kernel is built for AVX2 and the
/// CPU has it (a cached check).
#[inline(always)]
fn vector<G: Blocks>() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        G::GATHER && std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `out[l] = c.work(t[l])`.
#[inline(always)]
pub(crate) fn work<G: Blocks>(c: Table, t: &Row, out: &mut Row) {
    #[cfg(target_arch = "x86_64")]
    if vector::<G>() {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { avx2::work(c, t, out) };
        return;
    }
    for l in 0..LANES {
        out[l] = c.work(t[l]);
    }
}

/// `out[l] = c.finish(w[l])`.
#[inline(always)]
pub(crate) fn finish<G: Blocks>(c: Table, w: &Row, out: &mut Row) {
    #[cfg(target_arch = "x86_64")]
    if vector::<G>() {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { avx2::finish(c, w, out) };
        return;
    }
    for l in 0..LANES {
        out[l] = c.finish(w[l]);
    }
}

/// `out[l] = c.begin(w[l])`.
#[inline(always)]
pub(crate) fn begin<G: Blocks>(c: Table, w: &Row, out: &mut Row) {
    #[cfg(target_arch = "x86_64")]
    if vector::<G>() {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { avx2::begin(c, w, out) };
        return;
    }
    for l in 0..LANES {
        out[l] = c.begin(w[l]);
    }
}

/// The AVX2 forms, eight lanes at a time: the operations of
/// [`Table::work`], [`Table::finish`] and [`Table::begin`], in their order.
/// Inputs hold no NaN where the scalar forms would differ (`max`/`min` of
/// the vector unit return their second operand for a NaN; the engine's
/// times are never NaN).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{LANES, Row};
    use crate::network::{HORIZON_DAYS, Table};

    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn work(c: Table, t: &Row, out: &mut Row) {
        let (cum, _) = c.raw();
        let zero = _mm256_setzero_ps();
        let top = _mm256_set1_ps(HORIZON_DAYS as f32 - 0.5);
        let one = _mm256_set1_epi32(1);
        for l in (0..LANES).step_by(8) {
            // SAFETY: `l + 8 <= LANES`, so the unaligned loads and stores
            // stay within the rows. The gather reads `cum[k]` for `k` the
            // integer part of a time clamped to `0..HORIZON_DAYS - 0.5`,
            // so `k < HORIZON_DAYS < cum.len()`.
            unsafe {
                let x = _mm256_loadu_ps(t.as_ptr().add(l));
                let x = _mm256_min_ps(_mm256_max_ps(x, zero), top);
                let k = _mm256_cvttps_epi32(x);
                let v = _mm256_i32gather_epi32::<4>(cum.as_ptr().cast(), k);
                let before = _mm256_cvtepi32_ps(_mm256_srli_epi32::<1>(v));
                let worked = _mm256_cvtepi32_ps(_mm256_and_si256(v, one));
                let part = _mm256_sub_ps(x, _mm256_cvtepi32_ps(k));
                let w = _mm256_add_ps(before, _mm256_mul_ps(worked, part));
                _mm256_storeu_ps(out.as_mut_ptr().add(l), w);
            }
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn finish(c: Table, w: &Row, out: &mut Row) {
        let (_, nth) = c.raw();
        let zero = _mm256_setzero_ps();
        let one = _mm256_set1_ps(1.0);
        let top = _mm256_set1_ps(HORIZON_DAYS as f32);
        for l in (0..LANES).step_by(8) {
            // SAFETY: as in `work`; the gather reads `nth[j]` for `j` a
            // whole number clamped to `0..=HORIZON_DAYS`, within `nth`.
            unsafe {
                let x = _mm256_loadu_ps(w.as_ptr().add(l));
                let j = _mm256_sub_ps(_mm256_ceil_ps(x), one);
                let j = _mm256_min_ps(_mm256_max_ps(j, zero), top);
                let day = _mm256_i32gather_ps::<4>(nth.as_ptr(), _mm256_cvttps_epi32(j));
                let t = _mm256_add_ps(day, _mm256_sub_ps(x, j));
                // 0 where `x <= 0` (not where it is unordered, as `<=`).
                let done = _mm256_cmp_ps::<_CMP_NLE_UQ>(x, zero);
                _mm256_storeu_ps(out.as_mut_ptr().add(l), _mm256_and_ps(t, done));
            }
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn begin(c: Table, w: &Row, out: &mut Row) {
        let (_, nth) = c.raw();
        let zero = _mm256_setzero_ps();
        let top = _mm256_set1_ps(HORIZON_DAYS as f32);
        for l in (0..LANES).step_by(8) {
            // SAFETY: as in `finish`.
            unsafe {
                let x = _mm256_loadu_ps(w.as_ptr().add(l));
                let j = _mm256_min_ps(_mm256_max_ps(_mm256_floor_ps(x), zero), top);
                let day = _mm256_i32gather_ps::<4>(nth.as_ptr(), _mm256_cvttps_epi32(j));
                let t = _mm256_add_ps(day, _mm256_sub_ps(_mm256_max_ps(x, zero), j));
                _mm256_storeu_ps(out.as_mut_ptr().add(l), t);
            }
        }
    }
}
