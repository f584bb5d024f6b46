//! Quantile-table draws over whole rows: a table's sample
//! ([`crate::network::table_sample`]) and a PERT estimate's, interpolated
//! between two rows of the PERT grid ([`crate::network::pert_sample`]).
//!
//! Each lane reads two neighbouring knots of a table (four for PERT) at an
//! index that depends on its uniform. Where the kernel is compiled for AVX2
//! (see [`crate::engine::Simd`]), the reads are vector gathers of eight
//! lanes; elsewhere, the scalar functions (which the compiler does not
//! vectorise: the half a uniform falls in is a branch). Both do the same
//! correctly rounded operations in the same order, so every path gives the
//! same bits (`tests/simd.rs` and the tests below compare them).

// Row loops index several rows in lockstep, the form the vectoriser handles.
#![allow(clippy::needless_range_loop)]

use crate::network::{TABLE_LEN, pert_grid_table, pert_sample, table_sample};

use super::rng::Blocks;
use super::schedule::LANES;

type Row = [f32; LANES];
type Table = [f32; TABLE_LEN];

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

/// `out[l] = table_sample(t, u[l])`.
#[inline(always)]
pub(crate) fn table<G: Blocks>(t: &Table, u: &Row, out: &mut Row) {
    #[cfg(target_arch = "x86_64")]
    if vector::<G>() {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { avx2::table(t, u, out) };
        return;
    }
    for l in 0..LANES {
        out[l] = table_sample(t, u[l]);
    }
}

/// `out[l] = pert_sample(grid, row, low, width, w, u[l])` on the PERT grid.
#[inline(always)]
pub(crate) fn pert<G: Blocks>(row: u32, (low, width, w): (f32, f32, f32), u: &Row, out: &mut Row) {
    let grid = pert_grid_table();
    #[cfg(target_arch = "x86_64")]
    if vector::<G>() {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { avx2::pert(grid, row, (low, width, w), u, out) };
        return;
    }
    for l in 0..LANES {
        out[l] = pert_sample(grid, row, low, width, w, u[l]);
    }
}

/// The AVX2 forms, eight lanes at a time, in the operations and order of
/// the scalar `knot`, `table_sample` and `pert_sample`. Uniforms are in
/// `(0, 1)`, never NaN.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{LANES, Row, Table};
    use crate::network::{FRAC_BITS, HALF, PERT_STRIDE, TABLE_LEN, V0_BITS};

    /// The knot index below each lane's uniform, and the fraction of the
    /// way to the next knot.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn knot(u: __m256) -> (__m256i, __m256) {
        let upper = _mm256_cmp_ps::<_CMP_GT_OQ>(u, _mm256_set1_ps(0.5));
        let v = _mm256_blendv_ps(u, _mm256_sub_ps(_mm256_set1_ps(1.0), u), upper);
        let bits = _mm256_sub_epi32(_mm256_castps_si256(v), _mm256_set1_epi32(V0_BITS as i32));
        let half = _mm256_and_si256(_mm256_castps_si256(upper), _mm256_set1_epi32(HALF as i32));
        let idx = _mm256_add_epi32(_mm256_srli_epi32::<{ FRAC_BITS as i32 }>(bits), half);
        let idx = _mm256_min_epu32(idx, _mm256_set1_epi32((TABLE_LEN - 2) as i32));
        let low_bits = _mm256_and_si256(bits, _mm256_set1_epi32((1 << FRAC_BITS) - 1));
        let frac = _mm256_mul_ps(
            _mm256_cvtepi32_ps(low_bits),
            _mm256_set1_ps(1.0 / (1 << FRAC_BITS) as f32),
        );
        (idx, frac)
    }

    /// `t[idx] + frac (t[idx + 1] - t[idx])`, lane by lane.
    ///
    /// # Safety
    ///
    /// Every index is at most `TABLE_LEN - 2` (as `knot` gives).
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn lerp(t: &Table, idx: __m256i, frac: __m256) -> __m256 {
        // SAFETY: `idx + 1 <= TABLE_LEN - 1`, within `t`.
        unsafe {
            let a = _mm256_i32gather_ps::<4>(t.as_ptr(), idx);
            let b = _mm256_i32gather_ps::<4>(t.as_ptr().add(1), idx);
            _mm256_add_ps(a, _mm256_mul_ps(frac, _mm256_sub_ps(b, a)))
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn table(t: &Table, u: &Row, out: &mut Row) {
        for l in (0..LANES).step_by(8) {
            // SAFETY: `l + 8 <= LANES`, so the unaligned loads and stores
            // stay within the rows; `knot` bounds the indices `lerp` reads.
            unsafe {
                let (idx, frac) = knot(_mm256_loadu_ps(u.as_ptr().add(l)));
                _mm256_storeu_ps(out.as_mut_ptr().add(l), lerp(t, idx, frac));
            }
        }
    }

    /// Each lane reads the 8-byte pairs (row `k`, row `k + 1`) at its
    /// knot and the next, four lanes to a gather, and interpolates the
    /// pairs side by side: the even floats end up holding the draws.
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn pert(
        grid: &[f32],
        k: u32,
        (low, width, w): (f32, f32, f32),
        u: &Row,
        out: &mut Row,
    ) {
        assert!(grid.len() >= TABLE_LEN * PERT_STRIDE && (k as usize) + 1 < PERT_STRIDE);
        let stride = _mm256_set1_epi32(PERT_STRIDE as i32);
        let kv = _mm256_set1_epi32(k as i32);
        let (low, width, w) = (
            _mm256_set1_ps(low),
            _mm256_set1_ps(width),
            _mm256_set1_ps(w),
        );
        let base = grid.as_ptr().cast::<f64>();
        for l in (0..LANES).step_by(8) {
            // SAFETY: `l + 8 <= LANES`, so the unaligned loads and stores
            // stay within the rows. The gathers read the pairs at
            // `idx * PERT_STRIDE + k` and a knot on, for `idx <= TABLE_LEN
            // - 2` (as `knot` gives) and `k + 1 < PERT_STRIDE`: both floats
            // of each pair are within the grid (checked above).
            unsafe {
                let (idx, frac) = knot(_mm256_loadu_ps(u.as_ptr().add(l)));
                let at = _mm256_add_epi32(_mm256_mullo_epi32(idx, stride), kv);
                let next = _mm256_add_epi32(at, stride);
                let mut y = [_mm256_setzero_ps(); 2];
                for (h, y) in y.iter_mut().enumerate() {
                    let (at, next) = if h == 0 {
                        (_mm256_castsi256_si128(at), _mm256_castsi256_si128(next))
                    } else {
                        (
                            _mm256_extracti128_si256::<1>(at),
                            _mm256_extracti128_si256::<1>(next),
                        )
                    };
                    let a = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base, at));
                    let b = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base, next));
                    // The four lanes' fractions, each twice.
                    let f = _mm256_permutevar8x32_ps(
                        frac,
                        _mm256_add_epi32(
                            _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3),
                            _mm256_set1_epi32(4 * h as i32),
                        ),
                    );
                    // (q0, q1) per lane, then q0 + w (q1 - q0) in the even floats.
                    let q = _mm256_add_ps(a, _mm256_mul_ps(f, _mm256_sub_ps(b, a)));
                    let d = _mm256_sub_ps(_mm256_permute_ps::<0b10_11_00_01>(q), q);
                    let x = _mm256_add_ps(q, _mm256_mul_ps(w, d));
                    *y = _mm256_add_ps(low, _mm256_mul_ps(width, x));
                }
                // The even floats of both: lanes 0 1 4 5 | 2 3 6 7, then in order.
                let even = _mm256_shuffle_ps::<0b10_00_10_00>(y[0], y[1]);
                let d = _mm256_castpd_ps(_mm256_permute4x64_pd::<0b11_01_10_00>(_mm256_castps_pd(
                    even,
                )));
                _mm256_storeu_ps(out.as_mut_ptr().add(l), d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "x86_64")]
    use crate::engine::rng::Hardware;
    use crate::engine::rng::Software;
    use crate::network::U_MIN;

    /// Uniforms over the engine's whole range: both tails, the median and
    /// its neighbours, and the knots themselves.
    fn uniforms() -> Vec<Row> {
        let mut u: Vec<f32> = vec![
            U_MIN,
            1.0 - U_MIN,
            0.5,
            0.5f32.next_up(),
            0.5f32.next_down(),
        ];
        let mut x: u32 = 12345;
        while u.len() < 64 * 200 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let v = (x >> 8) as f32 / 16_777_216.0;
            u.push(v.clamp(U_MIN, 1.0 - U_MIN));
            u.push(2f32.powi(-((x % 24) as i32)).clamp(U_MIN, 0.5));
        }
        u.chunks_exact(LANES)
            .map(|c| c.try_into().expect("a row"))
            .collect()
    }

    /// The vector forms (when this CPU has AVX2) give the scalar bits.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_path_samples_the_same_bits() {
        // A table: a log-normal estimate's.
        let mut arena = Vec::new();
        let e = crate::plan::Estimate::LogNormal {
            mu: 1.0,
            sigma: 0.5,
        };
        crate::network::Sampler::compile(&e, &mut arena);
        let t: &Table = arena[..].try_into().expect("a table");
        for u in uniforms() {
            let (mut a, mut b) = ([0f32; LANES], [0f32; LANES]);
            table::<Hardware>(t, &u, &mut a);
            table::<Software>(t, &u, &mut b);
            assert_eq!(a.map(f32::to_bits), b.map(f32::to_bits));
            for (row, w) in [(0, 0.0), (37, 0.3125), (255, 1.0)] {
                let p = (2.5, 11.75, w);
                pert::<Hardware>(row, p, &u, &mut a);
                pert::<Software>(row, p, &u, &mut b);
                assert_eq!(a.map(f32::to_bits), b.map(f32::to_bits));
            }
        }
    }
}
