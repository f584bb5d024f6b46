//! Runtime choice of the instruction set the batched kernel is compiled for.
//!
//! The kernel is written once, over fixed-width rows that the compiler
//! vectorises; it is instantiated here inside functions compiled for AVX-512,
//! AVX2 (each with and without VAES, whose wide AES rounds draw the random
//! numbers two or four blocks per instruction) and the portable baseline, and
//! the best one the CPU supports is picked at run time, so a plain `cargo build --release` gets the fast path
//! on any x86-64 machine. The kernel uses only correctly rounded operations
//! (add, multiply, divide, sqrt, compare) and the compiler never fuses
//! multiply-adds on its own, so every path gives bit-identical results.

use std::fmt;

/// An instruction-set path for the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Simd {
    /// AVX-512 (F, BW, DQ, VL), AES-NI and VAES: 16 lanes of `f32`, and
    /// four AES blocks per instruction.
    Avx512Vaes,
    /// AVX-512 (F, BW, DQ, VL) and AES-NI: 16 lanes of `f32`.
    Avx512,
    /// AVX2, FMA, AES-NI and VAES: 8 lanes of `f32`, and two AES blocks per
    /// instruction.
    Avx2Vaes,
    /// AVX2, FMA and AES-NI: 8 lanes of `f32`.
    Avx2,
    /// Whatever the build target guarantees (SSE2 on x86-64).
    Portable,
}

impl Simd {
    /// Every path, fastest first.
    pub const ALL: [Simd; 5] = [
        Simd::Avx512Vaes,
        Simd::Avx512,
        Simd::Avx2Vaes,
        Simd::Avx2,
        Simd::Portable,
    ];

    /// Whether this CPU can run the path.
    pub fn is_available(self) -> bool {
        match self {
            Simd::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => {
                is_x86_feature_detected!("avx2")
                    && is_x86_feature_detected!("fma")
                    && is_x86_feature_detected!("aes")
            }
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2Vaes => Simd::Avx2.is_available() && is_x86_feature_detected!("vaes"),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => {
                is_x86_feature_detected!("avx512f")
                    && is_x86_feature_detected!("avx512bw")
                    && is_x86_feature_detected!("avx512dq")
                    && is_x86_feature_detected!("avx512vl")
                    && is_x86_feature_detected!("aes")
            }
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512Vaes => Simd::Avx512.is_available() && is_x86_feature_detected!("vaes"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The fastest path this CPU supports.
    pub fn detect() -> Simd {
        Simd::ALL
            .into_iter()
            .find(|s| s.is_available())
            .unwrap_or(Simd::Portable)
    }
}

impl fmt::Display for Simd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Simd::Avx512Vaes => "avx512+vaes",
            Simd::Avx512 => "avx512",
            Simd::Avx2Vaes => "avx2+vaes",
            Simd::Avx2 => "avx2",
            Simd::Portable => "portable",
        })
    }
}

/// Defines `$name(simd, args..)`: runs the `#[inline(always)]` function
/// `$body::<G>` compiled for the requested [`Simd`] path (falling back to the
/// portable build when the CPU lacks it), where `G` is the random-block
/// generator that path inlines ([`crate::engine::rng::Blocks`]). Each path
/// is a separate copy of the body, compiled with that path's target features.
macro_rules! dispatch {
    ($vis:vis fn $name:ident($($arg:ident: $ty:ty),*) => $($body:ident)::+) => {
        $vis fn $name(simd: $crate::engine::Simd, $($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,aes,vaes")]
                unsafe fn avx512_vaes($($arg: $ty),*) {
                    $($body)::+::<$crate::engine::rng::Vaes512>($($arg),*)
                }
                #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,aes")]
                unsafe fn avx512($($arg: $ty),*) {
                    $($body)::+::<$crate::engine::rng::Hardware>($($arg),*)
                }
                #[target_feature(enable = "avx2,fma,aes,vaes")]
                unsafe fn avx2_vaes($($arg: $ty),*) {
                    $($body)::+::<$crate::engine::rng::Vaes256>($($arg),*)
                }
                #[target_feature(enable = "avx2,fma,aes")]
                unsafe fn avx2($($arg: $ty),*) {
                    $($body)::+::<$crate::engine::rng::Hardware>($($arg),*)
                }
                if simd == $crate::engine::Simd::Avx512Vaes && simd.is_available() {
                    // SAFETY: `avx512_vaes` needs the target features it
                    // is compiled with; `Simd::Avx512Vaes.is_available()`
                    // just detected avx512f/bw/dq/vl, aes and vaes, and
                    // avx512f implies avx2 and fma.
                    return unsafe { avx512_vaes($($arg),*) };
                }
                if simd == $crate::engine::Simd::Avx512 && simd.is_available() {
                    // SAFETY: `avx512` needs the target features it is
                    // compiled with; `Simd::Avx512.is_available()` just
                    // detected avx512f/bw/dq/vl and aes, and avx512f
                    // implies avx2 and fma.
                    return unsafe { avx512($($arg),*) };
                }
                if simd == $crate::engine::Simd::Avx2Vaes && simd.is_available() {
                    // SAFETY: `avx2_vaes` needs avx2, fma, aes and vaes,
                    // which `Simd::Avx2Vaes.is_available()` just detected.
                    return unsafe { avx2_vaes($($arg),*) };
                }
                if simd == $crate::engine::Simd::Avx2 && simd.is_available() {
                    // SAFETY: `avx2` needs avx2, fma and aes, which
                    // `Simd::Avx2.is_available()` just detected.
                    return unsafe { avx2($($arg),*) };
                }
            }
            $($body)::+::<$crate::engine::rng::Software>($($arg),*)
        }
    };
}

pub(crate) use dispatch;
