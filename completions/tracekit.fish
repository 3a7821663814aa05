# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tracekit_global_optspecs
    string join \n q/quiet h/help V/version
end

function __fish_tracekit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tracekit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tracekit_using_subcommand
    set -l cmd (__fish_tracekit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tracekit -n "__fish_tracekit_needs_command" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_needs_command" -s V -l version -d 'Print version'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "info" -d 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "stats" -d 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "fft" -d 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "plot" -d 'Draw the waveform of a whole capture (or --range) as PNG or SVG, in one pass'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "spectrogram" -d 'Short-time power spectrum of a whole capture (or --range) as PNG or SVG, one pass'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "slice" -d 'Cut a range of samples into a new file (.npy, .csv, .wav, .sigmf-data, raw) or stdout'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "convert" -d 'Convert a whole capture to another format, chosen by the output\'s extension'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "convert-csv" -d 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "decode" -d 'Decode a bus protocol exactly as sigrok does, from logic or analog channels'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "decode-uart" -d 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "measure" -d 'Scope measurements over every cycle (IEEE 181): levels, period, duty, rise/fall, jitter'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "find" -d 'Events, one per line: edges, glitches, pulse widths, runts, window excursions, gaps, slew'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "generate" -d 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l json -d 'Print JSON instead of a table (JSON Lines for streams of records)'
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l verify -d 'SigMF: hash the whole dataset and check it against `core:sha512` (error if not equal)'
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l channel -d 'Only this channel: 0-based index or name (CH2, C3); default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l every -d 'Envelope: one record per window of W samples or W seconds (4096, 10k, 1ms, 1s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l json -d 'Print JSON instead of a table (JSON Lines for streams of records)'
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l nfft -d 'Segment length: 16 ≤ N ≤ 16Mi (memory about 100 bytes × N per channel analysed)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l overlap -d 'Segment overlap: a percentage (50%) or samples' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l window -d 'Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l detrend -d 'Remove each segment\'s mean before windowing, or not' -r -f -a "mean\t''
none\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l scaling -d 'density: V²/Hz; spectrum: V² (reads a tone\'s power A²/2)' -r -f -a "density\t''
spectrum\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l average -d 'Combine segments by mean (Welch) or max (max-hold)' -r -f -a "mean\t''
max\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l peaks -d 'How many peaks to list (strongest first)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l channel -d 'Only this channel: 0-based index or name (CH2, C3); default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -s o -l output -d 'Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l plot -d 'Draw the spectrum in dB with the peaks marked: FILE.png or FILE.svg' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l json -d 'Print JSON instead of a table (JSON Lines for streams of records)'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -s o -l output -d 'Output picture: .png or .svg; - writes a PNG to stdout' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l format -d 'Output format, instead of the extension\'s' -r -f -a "png\t''
svg\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l channel -d 'Channels to draw, top to bottom: 0-based indices or names (CH1,CH3), comma-separated or repeated; default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l width -d 'Picture width in pixels (200..16384)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l height -d 'Picture height in pixels (200..16384)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l decode -d 'Overlay decoded frames: uart:baud=B[,channel=K,...], spi:clk=K[,mosi=K,miso=K,cs=K,...], i2c:scl=K,sda=K, can:rx=K,bitrate=B, onewire:owr=K, lin:rx=K,baud=B' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand plot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -s o -l output -d 'Output picture: .png or .svg; - writes a PNG to stdout' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l format -d 'Output format, instead of the extension\'s' -r -f -a "png\t''
svg\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l channel -d 'Channel: a 0-based index or a name (CH1); default the first' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l iq -d 'Complex input: channel I and channel Q (two-sided, centred spectrum)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l center-freq -d 'Added to the frequency axis (the tuning of an I/Q capture), e.g. 433.92M' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l nfft -d 'Segment length, as fft (16 ≤ N ≤ 16Mi)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l overlap -d 'Segment overlap: a percentage (50%) or samples' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l window -d 'Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l detrend -d 'Remove each segment\'s mean before windowing, or not' -r -f -a "mean\t''
none\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l scaling -d 'density: V²/Hz; spectrum: V² (reads a tone\'s power A²/2)' -r -f -a "density\t''
spectrum\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l db-range -d 'Colour scale LO..HI in dB (e.g. -120..-40); default from the 5th and 99.9th percentiles' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l width -d 'Picture width in pixels (200..16384)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l height -d 'Picture height in pixels (200..16384)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l csv -d 'Write the dB matrix as CSV: time_s, then one column per frequency (Hz)' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l npy -d 'Write the dB matrix as .npy: float32, shape (time columns, frequency rows)' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand spectrogram" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s o -l output -d 'Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l to -d 'Convert samples to this type (f32, i16, ...; `raw` with -o - writes bare samples)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l step -d 'Keep every K-th sample (the output rate is divided by K)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l channel -d 'Channels to keep: 0-based indices or names (CH1,CH3), comma-separated or repeated; default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l events -d 'Cut T (--around) either side of each event of this list into the folder -o names' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l around -d 'With --events: how far either side of each event to cut (`1ms`, `5000`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l cut-format -d 'With --events: the cut-outs\' format, as an output extension: npy, csv, wav, sigmf-data, sr, vcd, bin' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -s o -l output -d 'Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...)' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l range -d 'Samples to keep, as slice\'s RANGE (A..B, A.., ..B, A+N; counts or times); default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l to -d 'Convert samples to this type (f32, i16, ...); as slice --to' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l channel -d 'Channels to keep: 0-based indices or names, comma-separated or repeated; default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand convert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -s o -l output -d 'Output .npy (default: IN with the extension .npy); stdout (`-`) is refused' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l column -d 'Data column by name or 1-based number (repeatable); default all value columns' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l time-column -d 'Time column by name or 1-based number, or `none` (no time axis)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l delimiter -d 'Field delimiter: `,` `;` `tab` (or any single character); default detected' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l decimal -d 'Decimal separator: `.` or `,`; default detected' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l skip-rows -d 'Lines before the first data row; the line just above the data gives the names' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l dtype -d 'Output sample type: f32 or f64; default f32 unless a column needs f64 to be exact' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -s r -l sample-rate -d 'Sample rate (overrides the file; needed to expand event-based logic exports)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l on-error -d 'What to do with a cell that is not a number or a row with the wrong field count' -r -f -a "fail\t''
nan\t''
skip\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -l json -d 'Print the detection report as JSON on stdout'
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand convert-csv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "uart" -d 'UART (same as `tracekit decode-uart`)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "spi" -d 'SPI: CLK, MOSI/MISO, optional CS#'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "i2c" -d 'I²C: SCL, SDA'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "can" -d 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "onewire" -d '1-Wire link layer: reset/presence, bit slots, bytes'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "lin" -d 'LIN: break, sync, protected ID, data, checksum'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and not __fish_seen_subcommand_from uart spi i2c can onewire lin help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l baud -d 'Baud rate, or `auto` to measure it from the shortest pulses' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l bits -d 'Data bits per frame (5..9)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l parity -d 'Parity bit after the data bits' -r -f -a "none\t''
odd\t''
even\t''
mark\t''
space\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l stop -d 'Stop bits: 1, 1.5 or 2' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l threshold -d 'Analog input: threshold in volts, or `auto` (from the two logic levels in the data)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l hysteresis -d 'Analog input: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l bit -d 'Logic input: the line is bit N of each integer sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l channel -d 'Channel of a multi-channel capture: 0-based index or name (CH1, C3)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l format -d 'Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l msb-first -d 'Data bits go most significant first'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -l invert -d 'The line idles low (inverted levels)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from uart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l threshold -d 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l hysteresis -d 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l format -d 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test\'s `.output` lines)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''
sigrok\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l annotations -d '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l clk -d 'Clock signal' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l mosi -d 'Master out, slave in' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l miso -d 'Master in, slave out' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l cs -d 'Chip select (absent: one endless transfer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l cpol -d 'spi: clock polarity (CLK idle level)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l cpha -d 'spi: clock phase (0: data read on the leading edge, 1: on the trailing edge)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l bitorder -d 'spi: bit order on the wire' -r -f -a "msb-first\t''
lsb-first\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l wordsize -d 'spi: bits per word (1..65536)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l cs-polarity -d 'spi: CS# level that selects the device' -r -f -a "active-low\t''
active-high\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from spi" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l threshold -d 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l hysteresis -d 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l format -d 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test\'s `.output` lines)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''
sigrok\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l annotations -d '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l scl -d 'Clock signal' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l sda -d 'Data signal' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l address-format -d 'Show the first address byte without (shifted) or with (unshifted) the R/W bit' -r -f -a "shifted\t''
unshifted\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from i2c" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l threshold -d 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l hysteresis -d 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l format -d 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test\'s `.output` lines)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''
sigrok\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l annotations -d '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l rx -l can-rx -d 'CAN RX line (or a differential probe: dominant = low after the threshold)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l bitrate -l nominal-bitrate -d 'Nominal (arbitration) bit rate, bit/s (sigrok\'s nominal_bitrate)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l fast-bitrate -d 'CAN FD data-phase bit rate of BRS frames, bit/s' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l sample-point -d 'Sample point, percent of the bit time' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from can" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l threshold -d 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l hysteresis -d 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l format -d 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test\'s `.output` lines)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''
sigrok\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l annotations -d '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l owr -d 'The 1-Wire bus line' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -l overdrive -d 'Start in overdrive speed'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from onewire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l threshold -d 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l hysteresis -d 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l format -d 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test\'s `.output` lines)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''
sigrok\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l annotations -d '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l rx -d 'The LIN bus line (as received: idle high)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l baud -d 'Baud rate (the UART under LIN: 8N1)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l lin-version -d 'LIN version: 1 = classic checksum, 2 = enhanced (sigrok\'s version option)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from lin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "uart" -d 'UART (same as `tracekit decode-uart`)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "spi" -d 'SPI: CLK, MOSI/MISO, optional CS#'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "i2c" -d 'I²C: SCL, SDA'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "can" -d 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "onewire" -d '1-Wire link layer: reset/presence, bit slots, bytes'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "lin" -d 'LIN: break, sync, protected ID, data, checksum'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l baud -d 'Baud rate, or `auto` to measure it from the shortest pulses' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l bits -d 'Data bits per frame (5..9)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l parity -d 'Parity bit after the data bits' -r -f -a "none\t''
odd\t''
even\t''
mark\t''
space\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l stop -d 'Stop bits: 1, 1.5 or 2' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l threshold -d 'Analog input: threshold in volts, or `auto` (from the two logic levels in the data)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l hysteresis -d 'Analog input: hysteresis in volts around the threshold (default 0, or the auto one)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l bit -d 'Logic input: the line is bit N of each integer sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l channel -d 'Channel of a multi-channel capture: 0-based index or name (CH1, C3)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l format -d 'Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)' -r -f -a "text\t''
json\t''
csv\t''
bytes\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l msb-first -d 'Data bits go most significant first'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l invert -d 'The line idles low (inverted levels)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l channel -d 'Only this channel: 0-based index or name (CH2, C3); default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l levels -d 'State levels LOW,HIGH in the samples\' unit, instead of the histogram pass' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l threshold -d 'The level edges are timed at (measure: instead of the mid reference)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l hysteresis -d 'Schmitt hysteresis in the samples\' unit [default: 6 noise sigmas, 10-50 % of the amplitude]' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l ref -d 'Reference levels in % of the amplitude: LOW,HIGH (mid 50) or LOW,MID,HIGH [default: 10,50,90]' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l state-band -d 'State boundaries: each state level ± P % of the amplitude [default: 2, wider for noise]' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l clock -d 'TIE against this ideal clock instead of the best fit: FIRST,PERIOD in seconds (samples without a rate)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l per-cycle -d 'Stream one record per cycle (CSV with a header, JSON Lines with --json) instead of the summary'
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -l json -d 'Print JSON instead of a table (JSON Lines for streams of records)'
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand measure" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/\'group\'/\'channel\'` or its name), read at its full length' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l range -d 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l channel -d 'Only this channel: 0-based index or name (CH2, C3); default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l level -d 'The level edges, glitches, widths and gaps are timed at [default: 50 % of the state levels]' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l hysteresis -d 'Hysteresis of every threshold [default: 10 % of the amplitude, or 6 noise sigmas]' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l edge -d 'Edges at --level' -r -f -a "rising\t''
falling\t''
either\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l glitch -d 'Pulses (either polarity) narrower than W (`<20ns`, `5` samples)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l width -d 'Pulses whose width is >W, <W or W1..W2 (inclusive)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l polarity -d 'Which pulses --width takes' -r -f -a "positive\t''
negative\t''
either\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l runt -d 'Runts: pulses that cross LOW but not HIGH (or HIGH but not LOW going down)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l window -d 'Excursions above HIGH or below LOW' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l gap -d 'No edge at --level for longer than T (`>1ms`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l slew -d 'Transitions between LOW and HIGH (--slew-levels) faster than RATE (V/s), or `<RATE` slower' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l slew-levels -d 'The two levels --slew times transitions between [default: the 10 % and 90 % references]' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l levels -d 'State levels LOW,HIGH instead of the histogram pass (sets --level\'s and --slew-levels\' defaults)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l skip -d 'Skip the first N events' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l limit -d 'Stop after N events' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l format -d 'Output: text (one event per line), json (JSON Lines) or csv (with a header)' -r -f -a "text\t''
json\t''
csv\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l around -d 'Also write a cut-out of T either side of each event into -o DIR (`1ms`, `5000`)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -s o -l output -d 'The folder --around writes its cut-outs to (created if missing)' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l cut-format -d 'The cut-outs\' format, as slice\'s output extension: npy, csv, wav, sigmf-data, sr, vcd, bin' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l input-format -d 'Input format; auto looks at the magic bytes, then the extension' -r -f -a "auto\t''
npy\t''
sigrok\t''
npz\t''
hdf5\t''
tek-wfm\t''
tek-isf\t''
lecroy-trc\t''
rs-bin\t''
rigol-wfm\t''
rigol-bin\t''
keysight-bin\t''
wav\t''
tdms\t''
sigmf\t''
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand find" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s o -l output -d 'Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l samples -d 'Samples per channel (default 1M; buses: the message once, idle before and after)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s r -l sample-rate -d 'Sample rate' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l tone -d 'Tone FREQ:AMPLITUDE (repeatable), e.g. 1kHz:1 or 50k:0.25' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l freq -d 'Frequency of the square wave' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l amplitude -d 'Amplitude of the square wave (it swings ±A)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l noise -d 'Gaussian noise, RMS' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l seed -d 'Seed for the noise (same seed, same file)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l dtype -d 'Sample type (default f32; u8 for --logic)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l channels -d 'Channels (each with its own noise)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l text -d 'uart (spi: the MOSI bytes): the text to send' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l bytes-file -d 'uart: send this file\'s bytes' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l baud -d 'uart, lin: baud rate (default uart 115200, lin 19200)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l bits -d 'Data bits per frame (5..9)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l parity -d 'Parity bit after the data bits' -r -f -a "none\t''
odd\t''
even\t''
mark\t''
space\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l stop -d 'Stop bits: 1, 1.5 or 2' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l gap -d 'Idle time between frames (uart, can, lin) or transfers (spi, i2c), in bit times (default uart 1, spi 2, i2c 2, can 20, lin 30)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l baud-error -d 'uart: transmitter baud error as a fraction (0.03 = 3% fast)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l parity-error -d 'uart: send frame K (from 0, repeats counted) with the wrong parity bit (repeatable)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l stop-error -d 'uart: send frame K\'s stop bits at space, a framing error (repeatable)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l break -d 'uart: after frame K and its gap, hold a break for BITS bit times (repeatable)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l bitrate -d 'spi/i2c: clock rate; can: nominal bit rate (defaults spi 1M, i2c 100k, can 500k)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l fast-bitrate -d 'can: CAN FD data-phase bit rate of BRS frames' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l sample-point -d 'can: sample point, percent of the bit time (where the FD rate switches)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l frame -d 'can: ID#DATA (cansend style; ID#R remote, ID##F DATA for FD with flags F: 1 BRS, 2 ESI), optionally !crc !stuff !nack !crc-delimiter !ack-delimiter !eof; lin: ID#DATA with !parity !checksum; onewire: reset then HEX bytes, with !no-presence !overdrive (repeatable)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l transaction -d 'i2c: w|r:ADDR[:HEX DATA][:rs][:nack=K] (repeatable): a write or read of ADDR (over 0x7f: 10-bit); rs = a repeated START instead of the STOP after it; nack=K = wire byte K (0 = the address) gets a NACK' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l stretch-rate -d 'i2c: probability that the slave stretches the clock before a byte' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l stretch -d 'i2c: longest clock stretch, in bit times' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l words -d 'spi: MOSI words, hex, comma-separated (default: the --text bytes)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l miso-words -d 'spi: MISO words, hex, comma-separated (as many as MOSI\'s when both are given)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l cpol -d 'spi: clock polarity (CLK idle level)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l cpha -d 'spi: clock phase (0: data read on the leading edge, 1: on the trailing edge)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l bitorder -d 'spi: bit order on the wire' -r -f -a "msb-first\t''
lsb-first\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l wordsize -d 'spi: bits per word (1..65536)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l cs-polarity -d 'spi: CS# level that selects the device' -r -f -a "active-low\t''
active-high\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l words-per-transfer -d 'spi: words per transfer (CS# deasserted between transfers)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l word-gap -d 'spi: idle clock between the words of a transfer, in bit times' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l clock-glitch -d 'spi/i2c: put an extra clock pulse into bit K (counting every bit sent from 0): a framing error, one bit too many (repeatable)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l glitch-rate -d 'spi/i2c: probability of a harmless glitch on a data line in each step' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l glitch-width -d 'spi/i2c: glitch width, in samples' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l lin-version -d 'lin: 1 = classic checksum, 2 = enhanced' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l low -d 'spi/i2c/can/lin/onewire analog: low level, volts' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l high -d 'spi/i2c/can/lin/onewire analog: high level, volts' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l rise -d 'Analog: rising-edge time constant, in samples (I2C\'s pull-ups are slow)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l fall -d 'Analog: falling-edge time constant, in samples' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l ring -d 'Analog: ringing after each edge, peak as a fraction of the swing' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l ring-period -d 'Analog: ringing period, in samples' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l ring-decay -d 'Analog: ringing decay time constant, in samples' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l to -d 'With `-o -`, write bare samples instead of a .npy stream' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l msb-first -d 'Data bits go most significant first'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l invert -d 'The line idles low (inverted levels)'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l no-cs -d 'spi: leave CS# asserted throughout (transfers only apart by --gap)'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l logic -d 'Buses: write 0/1 logic samples (u8) instead of analog volts (0/3.3 V)'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand completions" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "info" -d 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "stats" -d 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "fft" -d 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "plot" -d 'Draw the waveform of a whole capture (or --range) as PNG or SVG, in one pass'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "spectrogram" -d 'Short-time power spectrum of a whole capture (or --range) as PNG or SVG, one pass'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "slice" -d 'Cut a range of samples into a new file (.npy, .csv, .wav, .sigmf-data, raw) or stdout'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "convert" -d 'Convert a whole capture to another format, chosen by the output\'s extension'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "convert-csv" -d 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "decode" -d 'Decode a bus protocol exactly as sigrok does, from logic or analog channels'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "decode-uart" -d 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "measure" -d 'Scope measurements over every cycle (IEEE 181): levels, period, duty, rise/fall, jitter'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "find" -d 'Events, one per line: edges, glitches, pulse widths, runts, window excursions, gaps, slew'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "generate" -d 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft plot spectrogram slice convert convert-csv decode decode-uart measure find generate completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and __fish_seen_subcommand_from decode" -f -a "uart" -d 'UART (same as `tracekit decode-uart`)'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and __fish_seen_subcommand_from decode" -f -a "spi" -d 'SPI: CLK, MOSI/MISO, optional CS#'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and __fish_seen_subcommand_from decode" -f -a "i2c" -d 'I²C: SCL, SDA'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and __fish_seen_subcommand_from decode" -f -a "can" -d 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and __fish_seen_subcommand_from decode" -f -a "onewire" -d '1-Wire link layer: reset/presence, bit slots, bytes'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and __fish_seen_subcommand_from decode" -f -a "lin" -d 'LIN: break, sync, protected ID, data, checksum'
