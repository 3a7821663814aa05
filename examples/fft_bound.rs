//! How close the Welch pass comes to the bare FFTs it runs, on in-memory data (issue 13
//! item 27): `cargo run --release --example fft_bound`. Prints the two times and their ratio
//! (1.0 = the pass costs nothing beyond its FFTs), in wall time and in CPU time (the steadier
//! figure on a shared machine).

use rayon::prelude::*;
use realfft::RealFftPlanner;
use tracekit::dsp::welch::{Average, Detrend, Scaling, Welch, WelchConfig};
use tracekit::dsp::window::WindowKind;

fn main() {
    let (n, nfft) = (1usize << 26, 8192);
    let data: Vec<f32> = (0..n).map(|i| ((i as f32) * 0.001).sin()).collect();
    let cfg = WelchConfig {
        nfft,
        overlap: nfft / 2,
        window: WindowKind::Hann,
        detrend: Detrend::Mean,
        scaling: Scaling::Density,
        average: Average::Mean,
        sample_rate: Some(1e6),
        tone_metrics: true,
    };
    let (t, cpu) = (std::time::Instant::now(), cpu_seconds());
    let mut w = Welch::new(cfg).expect("a valid configuration");
    for chunk in data.chunks(1 << 20) {
        w.feed(chunk);
    }
    let spectrum = w.finish().expect("enough samples for a segment");
    let (welch, welch_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let metrics = spectrum.metrics.as_ref().map_or(0, |m| m.segments);
    let ffts = spectrum.segments + metrics;
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(nfft);
    let lanes = 2 * rayon::current_num_threads();
    let (t, cpu) = (std::time::Instant::now(), cpu_seconds());
    (0..lanes).into_par_iter().for_each(|_| {
        let (mut i, mut o, mut s) = (
            fft.make_input_vec(),
            fft.make_output_vec(),
            fft.make_scratch_vec(),
        );
        for _ in 0..(ffts as usize).div_ceil(lanes) {
            fft.process_with_scratch(&mut i, &mut o, &mut s)
                .expect("buffers of the planned sizes");
        }
    });
    let (bare, bare_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    println!(
        "{} segments + {metrics} metrics: Welch {welch:.3} s ({welch_cpu:.3} s CPU), bare FFTs \
         {bare:.3} s ({bare_cpu:.3} s CPU), ratio {:.2} wall, {:.2} CPU",
        spectrum.segments,
        bare / welch,
        bare_cpu / welch_cpu
    );
}

/// User + system time of this process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut u = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
