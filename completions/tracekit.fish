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
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "slice" -d 'Cut a range of samples into a new file (.npy, .csv, raw) or stdout'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "convert-csv" -d 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate'
complete -c tracekit -n "__fish_tracekit_needs_command" -f -a "decode-uart" -d 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok'
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
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand info" -l json -d 'Print JSON instead of a table (JSON Lines for streams of records)'
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
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand stats" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset)' -r
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
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset)' -r
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
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l plot -d 'Draw the spectrum in dB with the peaks marked (.svg; PNG is not supported)' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -l json -d 'Print JSON instead of a table (JSON Lines for streams of records)'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand fft" -s h -l help -d 'Print help (see more with \'--help\')'
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
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s r -l sample-rate -d 'Sample rate, overriding the file\'s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l segment -d 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l chunk -d 'Samples per chunk (default 1Mi = 1048576); memory use grows with it' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s o -l output -d 'Output: .npy, .csv, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l to -d 'Convert samples to this type (f32, i16, ...; `raw` with -o - writes bare samples)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l step -d 'Keep every K-th sample (the output rate is divided by K)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l channel -d 'Channels to keep: 0-based indices or names (CH1,CH3), comma-separated or repeated; default all' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand slice" -s h -l help -d 'Print help (see more with \'--help\')'
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
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l dtype -d 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy\'s float32, <f4, >i2)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l endian -d 'Raw byte order' -r -f -a "little\t''
big\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l offset -d 'Raw: bytes to skip before the first sample' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l length -d 'Raw: number of samples to read (error if the file holds fewer)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l channels -d 'Raw: number of interleaved channels' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l dataset -d 'HDF5: dataset path (default: the one waveform-like dataset)' -r
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
saleae\t''
vcd\t''
raw\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l raw-codes -d 'Scope files: keep the stored integers (ADC codes) instead of volts'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l msb-first -d 'Data bits go most significant first'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -l invert -d 'The line idles low (inverted levels)'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand decode-uart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s o -l output -d 'Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l samples -d 'Samples per channel (default 1M; uart: the message once, idle before and after)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s r -l sample-rate -d 'Sample rate' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l tone -d 'Tone FREQ:AMPLITUDE (repeatable), e.g. 1kHz:1 or 50k:0.25' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l freq -d 'Frequency of the square wave' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l amplitude -d 'Amplitude of the square wave (it swings ±A)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l noise -d 'Gaussian noise, RMS' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l seed -d 'Seed for the noise (same seed, same file)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l dtype -d 'Sample type (default f32; u8 for --logic)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l channels -d 'Channels (each with its own noise)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l text -d 'uart: the text to send' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l bytes-file -d 'uart: send this file\'s bytes' -r -F
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l baud -d 'uart: baud rate' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l bits -d 'Data bits per frame (5..9)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l parity -d 'Parity bit after the data bits' -r -f -a "none\t''
odd\t''
even\t''
mark\t''
space\t''"
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l stop -d 'Stop bits: 1, 1.5 or 2' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l gap -d 'uart: idle time between frames, in bit times' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l baud-error -d 'uart: transmitter baud error as a fraction (0.03 = 3% fast)' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l to -d 'With `-o -`, write bare samples instead of a .npy stream' -r
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l msb-first -d 'Data bits go most significant first'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l invert -d 'The line idles low (inverted levels)'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -l logic -d 'uart: write 0/1 logic samples (u8) instead of analog volts (0/3.3 V)'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracekit -n "__fish_tracekit_using_subcommand completions" -s q -l quiet -d 'No progress bar, no informational notes on stderr'
complete -c tracekit -n "__fish_tracekit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "info" -d 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "stats" -d 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "fft" -d 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "slice" -d 'Cut a range of samples into a new file (.npy, .csv, raw) or stdout'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "convert-csv" -d 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "decode-uart" -d 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "generate" -d 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c tracekit -n "__fish_tracekit_using_subcommand help; and not __fish_seen_subcommand_from info stats fft slice convert-csv decode-uart generate completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
