//! How close the Welch pass comes to the bare FFTs it runs, on in-memory data (issue 13
//! item 27): `cargo run --release --example fft_bound`. Prints the two times and their ratio
//! (1.0 = the pass costs nothing beyond its FFTs).

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
    let t = std::time::Instant::now();
    let mut w = Welch::new(cfg).expect("a valid configuration");
    for chunk in data.chunks(1 << 20) {
        w.feed(chunk);
    }
    let spectrum = w.finish().expect("enough samples for a segment");
    let welch = t.elapsed().as_secs_f64();
    let metrics = spectrum.metrics.as_ref().map_or(0, |m| m.segments);
    let ffts = spectrum.segments + metrics;
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(nfft);
    let lanes = 2 * rayon::current_num_threads();
    let t = std::time::Instant::now();
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
    let bare = t.elapsed().as_secs_f64();
    println!(
        "{} segments + {metrics} metrics: Welch {welch:.3} s, bare FFTs {bare:.3} s, ratio {:.2}",
        spectrum.segments,
        bare / welch
    );
}
