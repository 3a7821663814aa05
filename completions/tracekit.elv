
use builtin;
use str;

set edit:completion:arg-completer[tracekit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tracekit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tracekit'= {
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand info 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only'
            cand stats 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)'
            cand fft 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics'
            cand slice 'Cut a range of samples into a new file (.npy, .csv, raw) or stdout'
            cand convert-csv 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate'
            cand decode 'Decode a bus protocol exactly as sigrok does, from logic or analog channels'
            cand decode-uart 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok'
            cand generate 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracekit;info'= {
            cand --format 'Input format; auto looks at the magic bytes, then the extension'
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand --json 'Print JSON instead of a table (JSON Lines for streams of records)'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;stats'= {
            cand --format 'Input format; auto looks at the magic bytes, then the extension'
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --channel 'Only this channel: 0-based index or name (CH2, C3); default all'
            cand --every 'Envelope: one record per window of W samples or W seconds (4096, 10k, 1ms, 1s)'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand --json 'Print JSON instead of a table (JSON Lines for streams of records)'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;fft'= {
            cand --format 'Input format; auto looks at the magic bytes, then the extension'
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --nfft 'Segment length: 16 ≤ N ≤ 16Mi (memory about 100 bytes × N per channel analysed)'
            cand --overlap 'Segment overlap: a percentage (50%) or samples'
            cand --window 'Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA'
            cand --detrend 'Remove each segment''s mean before windowing, or not'
            cand --scaling 'density: V²/Hz; spectrum: V² (reads a tone''s power A²/2)'
            cand --average 'Combine segments by mean (Welch) or max (max-hold)'
            cand --peaks 'How many peaks to list (strongest first)'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --channel 'Only this channel: 0-based index or name (CH2, C3); default all'
            cand -o 'Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)'
            cand --output 'Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)'
            cand --plot 'Draw the spectrum in dB with the peaks marked (.svg; PNG is not supported)'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand --json 'Print JSON instead of a table (JSON Lines for streams of records)'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;slice'= {
            cand --format 'Input format; auto looks at the magic bytes, then the extension'
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand -o 'Output: .npy, .csv, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout'
            cand --output 'Output: .npy, .csv, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout'
            cand --to 'Convert samples to this type (f32, i16, ...; `raw` with -o - writes bare samples)'
            cand --step 'Keep every K-th sample (the output rate is divided by K)'
            cand --channel 'Channels to keep: 0-based indices or names (CH1,CH3), comma-separated or repeated; default all'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;convert-csv'= {
            cand -o 'Output .npy (default: IN with the extension .npy); stdout (`-`) is refused'
            cand --output 'Output .npy (default: IN with the extension .npy); stdout (`-`) is refused'
            cand --column 'Data column by name or 1-based number (repeatable); default all value columns'
            cand --time-column 'Time column by name or 1-based number, or `none` (no time axis)'
            cand --delimiter 'Field delimiter: `,` `;` `tab` (or any single character); default detected'
            cand --decimal 'Decimal separator: `.` or `,`; default detected'
            cand --skip-rows 'Lines before the first data row; the line just above the data gives the names'
            cand --dtype 'Output sample type: f32 or f64; default f32 unless a column needs f64 to be exact'
            cand -r 'Sample rate (overrides the file; needed to expand event-based logic exports)'
            cand --sample-rate 'Sample rate (overrides the file; needed to expand event-based logic exports)'
            cand --on-error 'What to do with a cell that is not a number or a row with the wrong field count'
            cand --json 'Print the detection report as JSON on stdout'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode'= {
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand uart 'UART (same as `tracekit decode-uart`)'
            cand spi 'SPI: CLK, MOSI/MISO, optional CS#'
            cand i2c 'I²C: SCL, SDA'
            cand can 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)'
            cand onewire '1-Wire link layer: reset/presence, bit slots, bytes'
            cand lin 'LIN: break, sync, protected ID, data, checksum'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracekit;decode;uart'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --baud 'Baud rate, or `auto` to measure it from the shortest pulses'
            cand --bits 'Data bits per frame (5..9)'
            cand --parity 'Parity bit after the data bits'
            cand --stop 'Stop bits: 1, 1.5 or 2'
            cand --threshold 'Analog input: threshold in volts, or `auto` (from the two logic levels in the data)'
            cand --hysteresis 'Analog input: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --bit 'Logic input: the line is bit N of each integer sample'
            cand --channel 'Channel of a multi-channel capture: 0-based index or name (CH1, C3)'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --format 'Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand --msb-first 'Data bits go most significant first'
            cand --invert 'The line idles low (inverted levels)'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode;spi'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --threshold 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)'
            cand --hysteresis 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --format 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)'
            cand --annotations '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A'
            cand --clk 'Clock signal'
            cand --mosi 'Master out, slave in'
            cand --miso 'Master in, slave out'
            cand --cs 'Chip select (absent: one endless transfer)'
            cand --cpol 'Clock polarity: CLK idle level'
            cand --cpha 'Clock phase: 0 = sample on the leading edge, 1 = on the trailing edge'
            cand --bitorder 'Bit order on the wire'
            cand --wordsize 'Bits per word (1..65536)'
            cand --cs-polarity 'CS# level that selects the device'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode;i2c'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --threshold 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)'
            cand --hysteresis 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --format 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)'
            cand --annotations '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A'
            cand --scl 'Clock signal'
            cand --sda 'Data signal'
            cand --address-format 'Show the first address byte without (shifted) or with (unshifted) the R/W bit'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode;can'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --threshold 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)'
            cand --hysteresis 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --format 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)'
            cand --annotations '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A'
            cand --rx 'CAN RX line (or a differential probe: dominant = low after the threshold)'
            cand --can-rx 'CAN RX line (or a differential probe: dominant = low after the threshold)'
            cand --bitrate 'Nominal (arbitration) bit rate, bit/s (sigrok''s nominal_bitrate)'
            cand --nominal-bitrate 'Nominal (arbitration) bit rate, bit/s (sigrok''s nominal_bitrate)'
            cand --fast-bitrate 'CAN FD data-phase bit rate of BRS frames, bit/s'
            cand --sample-point 'Sample point, percent of the bit time'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode;onewire'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --threshold 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)'
            cand --hysteresis 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --format 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)'
            cand --annotations '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A'
            cand --owr 'The 1-Wire bus line'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand --overdrive 'Start in overdrive speed'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode;lin'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --threshold 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)'
            cand --hysteresis 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --format 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)'
            cand --annotations '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A'
            cand --rx 'The LIN bus line (as received: idle high)'
            cand --baud 'Baud rate (the UART under LIN: 8N1)'
            cand --lin-version 'LIN version: 1 = classic checksum, 2 = enhanced (sigrok''s version option)'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;decode;help'= {
            cand uart 'UART (same as `tracekit decode-uart`)'
            cand spi 'SPI: CLK, MOSI/MISO, optional CS#'
            cand i2c 'I²C: SCL, SDA'
            cand can 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)'
            cand onewire '1-Wire link layer: reset/presence, bit slots, bytes'
            cand lin 'LIN: break, sync, protected ID, data, checksum'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracekit;decode;help;uart'= {
        }
        &'tracekit;decode;help;spi'= {
        }
        &'tracekit;decode;help;i2c'= {
        }
        &'tracekit;decode;help;can'= {
        }
        &'tracekit;decode;help;onewire'= {
        }
        &'tracekit;decode;help;lin'= {
        }
        &'tracekit;decode;help;help'= {
        }
        &'tracekit;decode-uart'= {
            cand --dtype 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2)'
            cand --endian 'Raw byte order'
            cand --offset 'Raw: bytes to skip before the first sample'
            cand --length 'Raw: number of samples to read (error if the file holds fewer)'
            cand --channels 'Raw: number of interleaved channels'
            cand --dataset 'HDF5: dataset path (default: the one waveform-like dataset)'
            cand -r 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --sample-rate 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)'
            cand --segment 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`'
            cand --chunk 'Samples per chunk (default 1Mi = 1048576); memory use grows with it'
            cand --baud 'Baud rate, or `auto` to measure it from the shortest pulses'
            cand --bits 'Data bits per frame (5..9)'
            cand --parity 'Parity bit after the data bits'
            cand --stop 'Stop bits: 1, 1.5 or 2'
            cand --threshold 'Analog input: threshold in volts, or `auto` (from the two logic levels in the data)'
            cand --hysteresis 'Analog input: hysteresis in volts around the threshold (default 0, or the auto one)'
            cand --bit 'Logic input: the line is bit N of each integer sample'
            cand --channel 'Channel of a multi-channel capture: 0-based index or name (CH1, C3)'
            cand --range 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)'
            cand --format 'Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)'
            cand --input-format 'Input format; auto looks at the magic bytes, then the extension'
            cand --raw-codes 'Scope files: keep the stored integers (ADC codes) instead of volts'
            cand --msb-first 'Data bits go most significant first'
            cand --invert 'The line idles low (inverted levels)'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;generate'= {
            cand -o 'Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout'
            cand --output 'Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout'
            cand --samples 'Samples per channel (default 1M; uart: the message once, idle before and after)'
            cand -r 'Sample rate'
            cand --sample-rate 'Sample rate'
            cand --tone 'Tone FREQ:AMPLITUDE (repeatable), e.g. 1kHz:1 or 50k:0.25'
            cand --freq 'Frequency of the square wave'
            cand --amplitude 'Amplitude of the square wave (it swings ±A)'
            cand --noise 'Gaussian noise, RMS'
            cand --seed 'Seed for the noise (same seed, same file)'
            cand --dtype 'Sample type (default f32; u8 for --logic)'
            cand --channels 'Channels (each with its own noise)'
            cand --text 'uart: the text to send'
            cand --bytes-file 'uart: send this file''s bytes'
            cand --baud 'uart: baud rate'
            cand --bits 'Data bits per frame (5..9)'
            cand --parity 'Parity bit after the data bits'
            cand --stop 'Stop bits: 1, 1.5 or 2'
            cand --gap 'uart: idle time between frames, in bit times'
            cand --baud-error 'uart: transmitter baud error as a fraction (0.03 = 3% fast)'
            cand --to 'With `-o -`, write bare samples instead of a .npy stream'
            cand --msb-first 'Data bits go most significant first'
            cand --invert 'The line idles low (inverted levels)'
            cand --logic 'uart: write 0/1 logic samples (u8) instead of analog volts (0/3.3 V)'
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tracekit;completions'= {
            cand -q 'No progress bar, no informational notes on stderr'
            cand --quiet 'No progress bar, no informational notes on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tracekit;help'= {
            cand info 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only'
            cand stats 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)'
            cand fft 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics'
            cand slice 'Cut a range of samples into a new file (.npy, .csv, raw) or stdout'
            cand convert-csv 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate'
            cand decode 'Decode a bus protocol exactly as sigrok does, from logic or analog channels'
            cand decode-uart 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok'
            cand generate 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracekit;help;info'= {
        }
        &'tracekit;help;stats'= {
        }
        &'tracekit;help;fft'= {
        }
        &'tracekit;help;slice'= {
        }
        &'tracekit;help;convert-csv'= {
        }
        &'tracekit;help;decode'= {
            cand uart 'UART (same as `tracekit decode-uart`)'
            cand spi 'SPI: CLK, MOSI/MISO, optional CS#'
            cand i2c 'I²C: SCL, SDA'
            cand can 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)'
            cand onewire '1-Wire link layer: reset/presence, bit slots, bytes'
            cand lin 'LIN: break, sync, protected ID, data, checksum'
        }
        &'tracekit;help;decode;uart'= {
        }
        &'tracekit;help;decode;spi'= {
        }
        &'tracekit;help;decode;i2c'= {
        }
        &'tracekit;help;decode;can'= {
        }
        &'tracekit;help;decode;onewire'= {
        }
        &'tracekit;help;decode;lin'= {
        }
        &'tracekit;help;decode-uart'= {
        }
        &'tracekit;help;generate'= {
        }
        &'tracekit;help;completions'= {
        }
        &'tracekit;help;help'= {
        }
    ]
    $completions[$command]
}
