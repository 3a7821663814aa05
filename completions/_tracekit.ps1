
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tracekit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tracekit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tracekit' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)')
            [CompletionResult]::new('fft', 'fft', [CompletionResultType]::ParameterValue, 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics')
            [CompletionResult]::new('plot', 'plot', [CompletionResultType]::ParameterValue, 'Draw the waveform of a whole capture (or --range) as PNG or SVG, in one pass')
            [CompletionResult]::new('spectrogram', 'spectrogram', [CompletionResultType]::ParameterValue, 'Short-time power spectrum of a whole capture (or --range) as PNG or SVG, one pass')
            [CompletionResult]::new('slice', 'slice', [CompletionResultType]::ParameterValue, 'Cut a range of samples into a new file (.npy, .csv, .wav, .sigmf-data, raw) or stdout')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert a whole capture to another format, chosen by the output''s extension')
            [CompletionResult]::new('convert-csv', 'convert-csv', [CompletionResultType]::ParameterValue, 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode a bus protocol exactly as sigrok does, from logic or analog channels')
            [CompletionResult]::new('decode-uart', 'decode-uart', [CompletionResultType]::ParameterValue, 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok')
            [CompletionResult]::new('measure', 'measure', [CompletionResultType]::ParameterValue, 'Scope measurements over every cycle (IEEE 181): levels, period, duty, rise/fall, jitter')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Events, one per line: edges, glitches, pulse widths, runts, window excursions, gaps, slew')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracekit;info' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table (JSON Lines for streams of records)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'SigMF: hash the whole dataset and check it against `core:sha512` (error if not equal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;stats' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel: 0-based index or name (CH2, C3); default all')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Envelope: one record per window of W samples or W seconds (4096, 10k, 1ms, 1s)')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table (JSON Lines for streams of records)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;fft' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--nfft', '--nfft', [CompletionResultType]::ParameterName, 'Segment length: 16 ≤ N ≤ 16Mi (memory about 100 bytes × N per channel analysed)')
            [CompletionResult]::new('--overlap', '--overlap', [CompletionResultType]::ParameterName, 'Segment overlap: a percentage (50%) or samples')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA')
            [CompletionResult]::new('--detrend', '--detrend', [CompletionResultType]::ParameterName, 'Remove each segment''s mean before windowing, or not')
            [CompletionResult]::new('--scaling', '--scaling', [CompletionResultType]::ParameterName, 'density: V²/Hz; spectrum: V² (reads a tone''s power A²/2)')
            [CompletionResult]::new('--average', '--average', [CompletionResultType]::ParameterName, 'Combine segments by mean (Welch) or max (max-hold)')
            [CompletionResult]::new('--peaks', '--peaks', [CompletionResultType]::ParameterName, 'How many peaks to list (strongest first)')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel: 0-based index or name (CH2, C3); default all')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write every bin: .csv (freq_hz,power,power_db) or .npy (float64, same columns)')
            [CompletionResult]::new('--plot', '--plot', [CompletionResultType]::ParameterName, 'Draw the spectrum in dB with the peaks marked: FILE.png or FILE.svg')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table (JSON Lines for streams of records)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;plot' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output picture: .png or .svg; - writes a PNG to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output picture: .png or .svg; - writes a PNG to stdout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format, instead of the extension''s')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channels to draw, top to bottom: 0-based indices or names (CH1,CH3), comma-separated or repeated; default all')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Picture width in pixels (200..16384)')
            [CompletionResult]::new('--height', '--height', [CompletionResultType]::ParameterName, 'Picture height in pixels (200..16384)')
            [CompletionResult]::new('--decode', '--decode', [CompletionResultType]::ParameterName, 'Overlay decoded frames: uart:baud=B[,channel=K,...], spi:clk=K[,mosi=K,miso=K,cs=K,...], i2c:scl=K,sda=K, can:rx=K,bitrate=B, onewire:owr=K, lin:rx=K,baud=B')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;spectrogram' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output picture: .png or .svg; - writes a PNG to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output picture: .png or .svg; - writes a PNG to stdout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format, instead of the extension''s')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel: a 0-based index or a name (CH1); default the first')
            [CompletionResult]::new('--iq', '--iq', [CompletionResultType]::ParameterName, 'Complex input: channel I and channel Q (two-sided, centred spectrum)')
            [CompletionResult]::new('--center-freq', '--center-freq', [CompletionResultType]::ParameterName, 'Added to the frequency axis (the tuning of an I/Q capture), e.g. 433.92M')
            [CompletionResult]::new('--nfft', '--nfft', [CompletionResultType]::ParameterName, 'Segment length, as fft (16 ≤ N ≤ 16Mi)')
            [CompletionResult]::new('--overlap', '--overlap', [CompletionResultType]::ParameterName, 'Segment overlap: a percentage (50%) or samples')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Window: hann, hamming, blackman, blackman-harris, flattop, rect, kaiser:BETA')
            [CompletionResult]::new('--detrend', '--detrend', [CompletionResultType]::ParameterName, 'Remove each segment''s mean before windowing, or not')
            [CompletionResult]::new('--scaling', '--scaling', [CompletionResultType]::ParameterName, 'density: V²/Hz; spectrum: V² (reads a tone''s power A²/2)')
            [CompletionResult]::new('--db-range', '--db-range', [CompletionResultType]::ParameterName, 'Colour scale LO..HI in dB (e.g. -120..-40); default from the 5th and 99.9th percentiles')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Picture width in pixels (200..16384)')
            [CompletionResult]::new('--height', '--height', [CompletionResultType]::ParameterName, 'Picture height in pixels (200..16384)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Write the dB matrix as CSV: time_s, then one column per frequency (Hz)')
            [CompletionResult]::new('--npy', '--npy', [CompletionResultType]::ParameterName, 'Write the dB matrix as .npy: float32, shape (time columns, frequency rows)')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;slice' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...), or - for a .npy stream on stdout')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Convert samples to this type (f32, i16, ...; `raw` with -o - writes bare samples)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Keep every K-th sample (the output rate is divided by K)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channels to keep: 0-based indices or names (CH1,CH3), comma-separated or repeated; default all')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Cut T (--around) either side of each event of this list into the folder -o names')
            [CompletionResult]::new('--around', '--around', [CompletionResultType]::ParameterName, 'With --events: how far either side of each event to cut (`1ms`, `5000`)')
            [CompletionResult]::new('--cut-format', '--cut-format', [CompletionResultType]::ParameterName, 'With --events: the cut-outs'' format, as an output extension: npy, csv, wav, sigmf-data, sr, vcd, bin')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;convert' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output: .npy, .csv, .wav, .sigmf-data, raw (.bin .raw .f32 ...)')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Samples to keep, as slice''s RANGE (A..B, A.., ..B, A+N; counts or times); default all')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Convert samples to this type (f32, i16, ...); as slice --to')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channels to keep: 0-based indices or names, comma-separated or repeated; default all')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;convert-csv' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output .npy (default: IN with the extension .npy); stdout (`-`) is refused')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output .npy (default: IN with the extension .npy); stdout (`-`) is refused')
            [CompletionResult]::new('--column', '--column', [CompletionResultType]::ParameterName, 'Data column by name or 1-based number (repeatable); default all value columns')
            [CompletionResult]::new('--time-column', '--time-column', [CompletionResultType]::ParameterName, 'Time column by name or 1-based number, or `none` (no time axis)')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter: `,` `;` `tab` (or any single character); default detected')
            [CompletionResult]::new('--decimal', '--decimal', [CompletionResultType]::ParameterName, 'Decimal separator: `.` or `,`; default detected')
            [CompletionResult]::new('--skip-rows', '--skip-rows', [CompletionResultType]::ParameterName, 'Lines before the first data row; the line just above the data gives the names')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Output sample type: f32 or f64; default f32 unless a column needs f64 to be exact')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate (overrides the file; needed to expand event-based logic exports)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate (overrides the file; needed to expand event-based logic exports)')
            [CompletionResult]::new('--on-error', '--on-error', [CompletionResultType]::ParameterName, 'What to do with a cell that is not a number or a row with the wrong field count')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the detection report as JSON on stdout')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('uart', 'uart', [CompletionResultType]::ParameterValue, 'UART (same as `tracekit decode-uart`)')
            [CompletionResult]::new('spi', 'spi', [CompletionResultType]::ParameterValue, 'SPI: CLK, MOSI/MISO, optional CS#')
            [CompletionResult]::new('i2c', 'i2c', [CompletionResultType]::ParameterValue, 'I²C: SCL, SDA')
            [CompletionResult]::new('can', 'can', [CompletionResultType]::ParameterValue, 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)')
            [CompletionResult]::new('onewire', 'onewire', [CompletionResultType]::ParameterValue, '1-Wire link layer: reset/presence, bit slots, bytes')
            [CompletionResult]::new('lin', 'lin', [CompletionResultType]::ParameterValue, 'LIN: break, sync, protected ID, data, checksum')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracekit;decode;uart' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--baud', '--baud', [CompletionResultType]::ParameterName, 'Baud rate, or `auto` to measure it from the shortest pulses')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Data bits per frame (5..9)')
            [CompletionResult]::new('--parity', '--parity', [CompletionResultType]::ParameterName, 'Parity bit after the data bits')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop bits: 1, 1.5 or 2')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog input: threshold in volts, or `auto` (from the two logic levels in the data)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog input: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--bit', '--bit', [CompletionResultType]::ParameterName, 'Logic input: the line is bit N of each integer sample')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel of a multi-channel capture: 0-based index or name (CH1, C3)')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--msb-first', '--msb-first', [CompletionResultType]::ParameterName, 'Data bits go most significant first')
            [CompletionResult]::new('--invert', '--invert', [CompletionResultType]::ParameterName, 'The line idles low (inverted levels)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode;spi' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A')
            [CompletionResult]::new('--clk', '--clk', [CompletionResultType]::ParameterName, 'Clock signal')
            [CompletionResult]::new('--mosi', '--mosi', [CompletionResultType]::ParameterName, 'Master out, slave in')
            [CompletionResult]::new('--miso', '--miso', [CompletionResultType]::ParameterName, 'Master in, slave out')
            [CompletionResult]::new('--cs', '--cs', [CompletionResultType]::ParameterName, 'Chip select (absent: one endless transfer)')
            [CompletionResult]::new('--cpol', '--cpol', [CompletionResultType]::ParameterName, 'spi: clock polarity (CLK idle level)')
            [CompletionResult]::new('--cpha', '--cpha', [CompletionResultType]::ParameterName, 'spi: clock phase (0: data read on the leading edge, 1: on the trailing edge)')
            [CompletionResult]::new('--bitorder', '--bitorder', [CompletionResultType]::ParameterName, 'spi: bit order on the wire')
            [CompletionResult]::new('--wordsize', '--wordsize', [CompletionResultType]::ParameterName, 'spi: bits per word (1..65536)')
            [CompletionResult]::new('--cs-polarity', '--cs-polarity', [CompletionResultType]::ParameterName, 'spi: CS# level that selects the device')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode;i2c' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A')
            [CompletionResult]::new('--scl', '--scl', [CompletionResultType]::ParameterName, 'Clock signal')
            [CompletionResult]::new('--sda', '--sda', [CompletionResultType]::ParameterName, 'Data signal')
            [CompletionResult]::new('--address-format', '--address-format', [CompletionResultType]::ParameterName, 'Show the first address byte without (shifted) or with (unshifted) the R/W bit')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode;can' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A')
            [CompletionResult]::new('--rx', '--rx', [CompletionResultType]::ParameterName, 'CAN RX line (or a differential probe: dominant = low after the threshold)')
            [CompletionResult]::new('--can-rx', '--can-rx', [CompletionResultType]::ParameterName, 'CAN RX line (or a differential probe: dominant = low after the threshold)')
            [CompletionResult]::new('--bitrate', '--bitrate', [CompletionResultType]::ParameterName, 'Nominal (arbitration) bit rate, bit/s (sigrok''s nominal_bitrate)')
            [CompletionResult]::new('--nominal-bitrate', '--nominal-bitrate', [CompletionResultType]::ParameterName, 'Nominal (arbitration) bit rate, bit/s (sigrok''s nominal_bitrate)')
            [CompletionResult]::new('--fast-bitrate', '--fast-bitrate', [CompletionResultType]::ParameterName, 'CAN FD data-phase bit rate of BRS frames, bit/s')
            [CompletionResult]::new('--sample-point', '--sample-point', [CompletionResultType]::ParameterName, 'Sample point, percent of the bit time')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode;onewire' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A')
            [CompletionResult]::new('--owr', '--owr', [CompletionResultType]::ParameterName, 'The 1-Wire bus line')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--overdrive', '--overdrive', [CompletionResultType]::ParameterName, 'Start in overdrive speed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode;lin' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog signals: threshold in volts or `auto` (levels found per channel); repeat as SIGNAL=V|auto for one signal (`--threshold scl=1.2`)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog signals: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text, json (JSON Lines), csv, bytes (data values), sigrok (sigrok-test''s `.output` lines)')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, '--format sigrok: only these annotation classes (comma-separated), as sigrok-cli -A')
            [CompletionResult]::new('--rx', '--rx', [CompletionResultType]::ParameterName, 'The LIN bus line (as received: idle high)')
            [CompletionResult]::new('--baud', '--baud', [CompletionResultType]::ParameterName, 'Baud rate (the UART under LIN: 8N1)')
            [CompletionResult]::new('--lin-version', '--lin-version', [CompletionResultType]::ParameterName, 'LIN version: 1 = classic checksum, 2 = enhanced (sigrok''s version option)')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;decode;help' {
            [CompletionResult]::new('uart', 'uart', [CompletionResultType]::ParameterValue, 'UART (same as `tracekit decode-uart`)')
            [CompletionResult]::new('spi', 'spi', [CompletionResultType]::ParameterValue, 'SPI: CLK, MOSI/MISO, optional CS#')
            [CompletionResult]::new('i2c', 'i2c', [CompletionResultType]::ParameterValue, 'I²C: SCL, SDA')
            [CompletionResult]::new('can', 'can', [CompletionResultType]::ParameterValue, 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)')
            [CompletionResult]::new('onewire', 'onewire', [CompletionResultType]::ParameterValue, '1-Wire link layer: reset/presence, bit slots, bytes')
            [CompletionResult]::new('lin', 'lin', [CompletionResultType]::ParameterValue, 'LIN: break, sync, protected ID, data, checksum')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracekit;decode;help;uart' {
            break
        }
        'tracekit;decode;help;spi' {
            break
        }
        'tracekit;decode;help;i2c' {
            break
        }
        'tracekit;decode;help;can' {
            break
        }
        'tracekit;decode;help;onewire' {
            break
        }
        'tracekit;decode;help;lin' {
            break
        }
        'tracekit;decode;help;help' {
            break
        }
        'tracekit;decode-uart' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--baud', '--baud', [CompletionResultType]::ParameterName, 'Baud rate, or `auto` to measure it from the shortest pulses')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Data bits per frame (5..9)')
            [CompletionResult]::new('--parity', '--parity', [CompletionResultType]::ParameterName, 'Parity bit after the data bits')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop bits: 1, 1.5 or 2')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Analog input: threshold in volts, or `auto` (from the two logic levels in the data)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Analog input: hysteresis in volts around the threshold (default 0, or the auto one)')
            [CompletionResult]::new('--bit', '--bit', [CompletionResultType]::ParameterName, 'Logic input: the line is bit N of each integer sample')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel of a multi-channel capture: 0-based index or name (CH1, C3)')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text (one line per frame), json (JSON Lines), csv, bytes (raw values)')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--msb-first', '--msb-first', [CompletionResultType]::ParameterName, 'Data bits go most significant first')
            [CompletionResult]::new('--invert', '--invert', [CompletionResultType]::ParameterName, 'The line idles low (inverted levels)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;measure' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel: 0-based index or name (CH2, C3); default all')
            [CompletionResult]::new('--levels', '--levels', [CompletionResultType]::ParameterName, 'State levels LOW,HIGH in the samples'' unit, instead of the histogram pass')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'The level edges are timed at (measure: instead of the mid reference)')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Schmitt hysteresis in the samples'' unit [default: 6 noise sigmas, 10-50 % of the amplitude]')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'Reference levels in % of the amplitude: LOW,HIGH (mid 50) or LOW,MID,HIGH [default: 10,50,90]')
            [CompletionResult]::new('--state-band', '--state-band', [CompletionResultType]::ParameterName, 'State boundaries: each state level ± P % of the amplitude [default: 2, wider for noise]')
            [CompletionResult]::new('--clock', '--clock', [CompletionResultType]::ParameterName, 'TIE against this ideal clock instead of the best fit: FIRST,PERIOD in seconds (samples without a rate)')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('--per-cycle', '--per-cycle', [CompletionResultType]::ParameterName, 'Stream one record per cycle (CSV with a header, JSON Lines with --json) instead of the summary')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table (JSON Lines for streams of records)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;find' {
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Raw sample type: i8 u8 i16 u16 i32 u32 i64 u64 f16 f32 f64 (or NumPy''s float32, <f4, >i2); complex I/Q pairs: cf32 cf64 ci32 ci16 ci8 cu8')
            [CompletionResult]::new('--endian', '--endian', [CompletionResultType]::ParameterName, 'Raw byte order')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Raw: bytes to skip before the first sample')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Raw: number of samples to read (error if the file holds fewer)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Raw: number of interleaved channels')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'HDF5: dataset path (default: the one waveform-like dataset); TDMS: one channel (`/''group''/''channel''` or its name), read at its full length')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate, overriding the file''s (1e9, 250M, 44.1k, 10MHz, 2.5GS/s)')
            [CompletionResult]::new('--segment', '--segment', [CompletionResultType]::ParameterName, 'Segmented captures (FastFrame, sequence): segment K (0-based) or `all`')
            [CompletionResult]::new('--chunk', '--chunk', [CompletionResultType]::ParameterName, 'Samples per chunk (default 1Mi = 1048576); memory use grows with it')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only this range of samples (1M..2M, -1M.., 1ms..2ms, 5e6+4096)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel: 0-based index or name (CH2, C3); default all')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'The level edges, glitches, widths and gaps are timed at [default: 50 % of the state levels]')
            [CompletionResult]::new('--hysteresis', '--hysteresis', [CompletionResultType]::ParameterName, 'Hysteresis of every threshold [default: 10 % of the amplitude, or 6 noise sigmas]')
            [CompletionResult]::new('--edge', '--edge', [CompletionResultType]::ParameterName, 'Edges at --level')
            [CompletionResult]::new('--glitch', '--glitch', [CompletionResultType]::ParameterName, 'Pulses (either polarity) narrower than W (`<20ns`, `5` samples)')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Pulses whose width is >W, <W or W1..W2 (inclusive)')
            [CompletionResult]::new('--polarity', '--polarity', [CompletionResultType]::ParameterName, 'Which pulses --width takes')
            [CompletionResult]::new('--runt', '--runt', [CompletionResultType]::ParameterName, 'Runts: pulses that cross LOW but not HIGH (or HIGH but not LOW going down)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Excursions above HIGH or below LOW')
            [CompletionResult]::new('--gap', '--gap', [CompletionResultType]::ParameterName, 'No edge at --level for longer than T (`>1ms`)')
            [CompletionResult]::new('--slew', '--slew', [CompletionResultType]::ParameterName, 'Transitions between LOW and HIGH (--slew-levels) faster than RATE (V/s), or `<RATE` slower')
            [CompletionResult]::new('--slew-levels', '--slew-levels', [CompletionResultType]::ParameterName, 'The two levels --slew times transitions between [default: the 10 % and 90 % references]')
            [CompletionResult]::new('--levels', '--levels', [CompletionResultType]::ParameterName, 'State levels LOW,HIGH instead of the histogram pass (sets --level''s and --slew-levels'' defaults)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip the first N events')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Stop after N events')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text (one event per line), json (JSON Lines) or csv (with a header)')
            [CompletionResult]::new('--around', '--around', [CompletionResultType]::ParameterName, 'Also write a cut-out of T either side of each event into -o DIR (`1ms`, `5000`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The folder --around writes its cut-outs to (created if missing)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The folder --around writes its cut-outs to (created if missing)')
            [CompletionResult]::new('--cut-format', '--cut-format', [CompletionResultType]::ParameterName, 'The cut-outs'' format, as slice''s output extension: npy, csv, wav, sigmf-data, sr, vcd, bin')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format; auto looks at the magic bytes, then the extension')
            [CompletionResult]::new('--raw-codes', '--raw-codes', [CompletionResultType]::ParameterName, 'Scope files: keep the stored integers (ADC codes) instead of volts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;generate' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output: .npy, raw (.f32 .i16 .bin ...), or - for a .npy stream on stdout')
            [CompletionResult]::new('--samples', '--samples', [CompletionResultType]::ParameterName, 'Samples per channel (default 1M; buses: the message once, idle before and after)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Sample rate')
            [CompletionResult]::new('--sample-rate', '--sample-rate', [CompletionResultType]::ParameterName, 'Sample rate')
            [CompletionResult]::new('--tone', '--tone', [CompletionResultType]::ParameterName, 'Tone FREQ:AMPLITUDE (repeatable), e.g. 1kHz:1 or 50k:0.25')
            [CompletionResult]::new('--freq', '--freq', [CompletionResultType]::ParameterName, 'Frequency of the square wave')
            [CompletionResult]::new('--amplitude', '--amplitude', [CompletionResultType]::ParameterName, 'Amplitude of the square wave (it swings ±A)')
            [CompletionResult]::new('--noise', '--noise', [CompletionResultType]::ParameterName, 'Gaussian noise, RMS')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the noise (same seed, same file)')
            [CompletionResult]::new('--dtype', '--dtype', [CompletionResultType]::ParameterName, 'Sample type (default f32; u8 for --logic)')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'Channels (each with its own noise)')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'uart (spi: the MOSI bytes): the text to send')
            [CompletionResult]::new('--bytes-file', '--bytes-file', [CompletionResultType]::ParameterName, 'uart: send this file''s bytes')
            [CompletionResult]::new('--baud', '--baud', [CompletionResultType]::ParameterName, 'uart, lin: baud rate (default uart 115200, lin 19200)')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Data bits per frame (5..9)')
            [CompletionResult]::new('--parity', '--parity', [CompletionResultType]::ParameterName, 'Parity bit after the data bits')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop bits: 1, 1.5 or 2')
            [CompletionResult]::new('--gap', '--gap', [CompletionResultType]::ParameterName, 'Idle time between frames (uart, can, lin) or transfers (spi, i2c), in bit times (default uart 1, spi 2, i2c 2, can 20, lin 30)')
            [CompletionResult]::new('--baud-error', '--baud-error', [CompletionResultType]::ParameterName, 'uart: transmitter baud error as a fraction (0.03 = 3% fast)')
            [CompletionResult]::new('--parity-error', '--parity-error', [CompletionResultType]::ParameterName, 'uart: send frame K (from 0, repeats counted) with the wrong parity bit (repeatable)')
            [CompletionResult]::new('--stop-error', '--stop-error', [CompletionResultType]::ParameterName, 'uart: send frame K''s stop bits at space, a framing error (repeatable)')
            [CompletionResult]::new('--break', '--break', [CompletionResultType]::ParameterName, 'uart: after frame K and its gap, hold a break for BITS bit times (repeatable)')
            [CompletionResult]::new('--bitrate', '--bitrate', [CompletionResultType]::ParameterName, 'spi/i2c: clock rate; can: nominal bit rate (defaults spi 1M, i2c 100k, can 500k)')
            [CompletionResult]::new('--fast-bitrate', '--fast-bitrate', [CompletionResultType]::ParameterName, 'can: CAN FD data-phase bit rate of BRS frames')
            [CompletionResult]::new('--sample-point', '--sample-point', [CompletionResultType]::ParameterName, 'can: sample point, percent of the bit time (where the FD rate switches)')
            [CompletionResult]::new('--frame', '--frame', [CompletionResultType]::ParameterName, 'can: ID#DATA (cansend style; ID#R remote, ID##F DATA for FD with flags F: 1 BRS, 2 ESI), optionally !crc !stuff !nack !crc-delimiter !ack-delimiter !eof; lin: ID#DATA with !parity !checksum; onewire: reset then HEX bytes, with !no-presence !overdrive (repeatable)')
            [CompletionResult]::new('--transaction', '--transaction', [CompletionResultType]::ParameterName, 'i2c: w|r:ADDR[:HEX DATA][:rs][:nack=K] (repeatable): a write or read of ADDR (over 0x7f: 10-bit); rs = a repeated START instead of the STOP after it; nack=K = wire byte K (0 = the address) gets a NACK')
            [CompletionResult]::new('--stretch-rate', '--stretch-rate', [CompletionResultType]::ParameterName, 'i2c: probability that the slave stretches the clock before a byte')
            [CompletionResult]::new('--stretch', '--stretch', [CompletionResultType]::ParameterName, 'i2c: longest clock stretch, in bit times')
            [CompletionResult]::new('--words', '--words', [CompletionResultType]::ParameterName, 'spi: MOSI words, hex, comma-separated (default: the --text bytes)')
            [CompletionResult]::new('--miso-words', '--miso-words', [CompletionResultType]::ParameterName, 'spi: MISO words, hex, comma-separated (as many as MOSI''s when both are given)')
            [CompletionResult]::new('--cpol', '--cpol', [CompletionResultType]::ParameterName, 'spi: clock polarity (CLK idle level)')
            [CompletionResult]::new('--cpha', '--cpha', [CompletionResultType]::ParameterName, 'spi: clock phase (0: data read on the leading edge, 1: on the trailing edge)')
            [CompletionResult]::new('--bitorder', '--bitorder', [CompletionResultType]::ParameterName, 'spi: bit order on the wire')
            [CompletionResult]::new('--wordsize', '--wordsize', [CompletionResultType]::ParameterName, 'spi: bits per word (1..65536)')
            [CompletionResult]::new('--cs-polarity', '--cs-polarity', [CompletionResultType]::ParameterName, 'spi: CS# level that selects the device')
            [CompletionResult]::new('--words-per-transfer', '--words-per-transfer', [CompletionResultType]::ParameterName, 'spi: words per transfer (CS# deasserted between transfers)')
            [CompletionResult]::new('--word-gap', '--word-gap', [CompletionResultType]::ParameterName, 'spi: idle clock between the words of a transfer, in bit times')
            [CompletionResult]::new('--clock-glitch', '--clock-glitch', [CompletionResultType]::ParameterName, 'spi/i2c: put an extra clock pulse into bit K (counting every bit sent from 0): a framing error, one bit too many (repeatable)')
            [CompletionResult]::new('--glitch-rate', '--glitch-rate', [CompletionResultType]::ParameterName, 'spi/i2c: probability of a harmless glitch on a data line in each step')
            [CompletionResult]::new('--glitch-width', '--glitch-width', [CompletionResultType]::ParameterName, 'spi/i2c: glitch width, in samples')
            [CompletionResult]::new('--lin-version', '--lin-version', [CompletionResultType]::ParameterName, 'lin: 1 = classic checksum, 2 = enhanced')
            [CompletionResult]::new('--low', '--low', [CompletionResultType]::ParameterName, 'spi/i2c/can/lin/onewire analog: low level, volts')
            [CompletionResult]::new('--high', '--high', [CompletionResultType]::ParameterName, 'spi/i2c/can/lin/onewire analog: high level, volts')
            [CompletionResult]::new('--rise', '--rise', [CompletionResultType]::ParameterName, 'Analog: rising-edge time constant, in samples (I2C''s pull-ups are slow)')
            [CompletionResult]::new('--fall', '--fall', [CompletionResultType]::ParameterName, 'Analog: falling-edge time constant, in samples')
            [CompletionResult]::new('--ring', '--ring', [CompletionResultType]::ParameterName, 'Analog: ringing after each edge, peak as a fraction of the swing')
            [CompletionResult]::new('--ring-period', '--ring-period', [CompletionResultType]::ParameterName, 'Analog: ringing period, in samples')
            [CompletionResult]::new('--ring-decay', '--ring-decay', [CompletionResultType]::ParameterName, 'Analog: ringing decay time constant, in samples')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'With `-o -`, write bare samples instead of a .npy stream')
            [CompletionResult]::new('--msb-first', '--msb-first', [CompletionResultType]::ParameterName, 'Data bits go most significant first')
            [CompletionResult]::new('--invert', '--invert', [CompletionResultType]::ParameterName, 'The line idles low (inverted levels)')
            [CompletionResult]::new('--no-cs', '--no-cs', [CompletionResultType]::ParameterName, 'spi: leave CS# asserted throughout (transfers only apart by --gap)')
            [CompletionResult]::new('--logic', '--logic', [CompletionResultType]::ParameterName, 'Buses: write 0/1 logic samples (u8) instead of analog volts (0/3.3 V)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tracekit;completions' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar, no informational notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tracekit;help' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show what a capture is: format, dtype, shape, rate, duration. Reads headers only')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Exact statistics per channel (count, NaNs, mean, std, min, max, argmin, argmax, rms)')
            [CompletionResult]::new('fft', 'fft', [CompletionResultType]::ParameterValue, 'Welch-averaged power spectrum of the whole file, with peaks and tone metrics')
            [CompletionResult]::new('plot', 'plot', [CompletionResultType]::ParameterValue, 'Draw the waveform of a whole capture (or --range) as PNG or SVG, in one pass')
            [CompletionResult]::new('spectrogram', 'spectrogram', [CompletionResultType]::ParameterValue, 'Short-time power spectrum of a whole capture (or --range) as PNG or SVG, one pass')
            [CompletionResult]::new('slice', 'slice', [CompletionResultType]::ParameterValue, 'Cut a range of samples into a new file (.npy, .csv, .wav, .sigmf-data, raw) or stdout')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert a whole capture to another format, chosen by the output''s extension')
            [CompletionResult]::new('convert-csv', 'convert-csv', [CompletionResultType]::ParameterValue, 'Convert an instrument CSV export to .npy, finding dialect, columns and sample rate')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode a bus protocol exactly as sigrok does, from logic or analog channels')
            [CompletionResult]::new('decode-uart', 'decode-uart', [CompletionResultType]::ParameterValue, 'Decode every UART frame of a logic or analog capture, sampling bits exactly as sigrok')
            [CompletionResult]::new('measure', 'measure', [CompletionResultType]::ParameterValue, 'Scope measurements over every cycle (IEEE 181): levels, period, duty, rise/fall, jitter')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Events, one per line: edges, glitches, pulse widths, runts, window excursions, gaps, slew')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write synthetic captures for demos, tests and benchmarks; any size, constant memory')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracekit;help;info' {
            break
        }
        'tracekit;help;stats' {
            break
        }
        'tracekit;help;fft' {
            break
        }
        'tracekit;help;plot' {
            break
        }
        'tracekit;help;spectrogram' {
            break
        }
        'tracekit;help;slice' {
            break
        }
        'tracekit;help;convert' {
            break
        }
        'tracekit;help;convert-csv' {
            break
        }
        'tracekit;help;decode' {
            [CompletionResult]::new('uart', 'uart', [CompletionResultType]::ParameterValue, 'UART (same as `tracekit decode-uart`)')
            [CompletionResult]::new('spi', 'spi', [CompletionResultType]::ParameterValue, 'SPI: CLK, MOSI/MISO, optional CS#')
            [CompletionResult]::new('i2c', 'i2c', [CompletionResultType]::ParameterValue, 'I²C: SCL, SDA')
            [CompletionResult]::new('can', 'can', [CompletionResultType]::ParameterValue, 'CAN 2.0A/B and CAN FD on the RX line (or a differential probe)')
            [CompletionResult]::new('onewire', 'onewire', [CompletionResultType]::ParameterValue, '1-Wire link layer: reset/presence, bit slots, bytes')
            [CompletionResult]::new('lin', 'lin', [CompletionResultType]::ParameterValue, 'LIN: break, sync, protected ID, data, checksum')
            break
        }
        'tracekit;help;decode;uart' {
            break
        }
        'tracekit;help;decode;spi' {
            break
        }
        'tracekit;help;decode;i2c' {
            break
        }
        'tracekit;help;decode;can' {
            break
        }
        'tracekit;help;decode;onewire' {
            break
        }
        'tracekit;help;decode;lin' {
            break
        }
        'tracekit;help;decode-uart' {
            break
        }
        'tracekit;help;measure' {
            break
        }
        'tracekit;help;find' {
            break
        }
        'tracekit;help;generate' {
            break
        }
        'tracekit;help;completions' {
            break
        }
        'tracekit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
