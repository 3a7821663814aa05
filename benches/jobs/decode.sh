# decode spi/i2c/can/onewire: the real sigrok-dumps captures of tests/data/protocols (.sr),
# decoded by tracekit and by sigrok-cli in the same run, same file, same decoder options,
# warm cache (sigrok-cli runs on one core; tracekit decodes on one and renders the lines on
# the other). tracekit writes its sigrok
# annotation lines (--format sigrok) and sigrok-cli its annotations (-A DECODER), both to
# /dev/null. The check line compares the number of annotation lines of the data class.
# The rate is samples of the capture per second of wall time, process start to exit.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
P="$(cd "$(dirname "$0")/../.." && pwd)/tests/data/protocols"

srate() { awk -v n="$1" -v s="$2" 'BEGIN { r = n / s; if (r >= 1e9) printf "%.2f GS/s", r / 1e9; else if (r >= 1e7) printf "%.0f MS/s", r / 1e6; else printf "%.2f MS/s", r / 1e6 }'; }
best2() { local a b; a=$(timed "$@"); b=$(timed "$@"); awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", (a < b ? a : b) }'; }

# pair LABEL FILE SAMPLES CLASS "TK ARGS" "SIGROK -P SPEC"
pair() {
  local label=$1 f=$2 n=$3 class=$4 tkargs=$5 spec=$6
  warm "$f"
  # shellcheck disable=SC2086
  local t_tk; t_tk=$(best2 $TK decode $tkargs "$f" -q --format sigrok)
  # shellcheck disable=SC2086
  local rss; rss=$(peak_rss_mb $TK decode $tkargs "$f" -q --format sigrok)
  # shellcheck disable=SC2086
  local tk_n; tk_n=$($TK decode $tkargs "$f" -q --format sigrok --annotations "$class" | wc -l)
  if ! command -v sigrok-cli >/dev/null; then
    echo "$label|$(srate "$n" "$t_tk")|sigrok-cli (not installed)|-|-|$rss"
    return
  fi
  local dec=${spec%%:*}
  local t_sr; t_sr=$(timed sigrok-cli -i "$f" -P "$spec" -A "$dec")
  local sr_n; sr_n=$(sigrok-cli -i "$f" -P "$spec" -A "$dec=$class" | wc -l)
  # Content: sample range and first text of every annotation of the class, from both.
  # shellcheck disable=SC2086
  local tk_md; tk_md=$($TK decode $tkargs "$f" -q --format sigrok --annotations "$class" \
    | sed -E 's/^([0-9]+-[0-9]+) [^:]+: [^:]+: "([^"]*)".*/\1 \2/' | md5sum | cut -c1-12)
  local sr_md; sr_md=$(sigrok-cli -i "$f" -P "$spec" -A "$dec=$class" --protocol-decoder-samplenum \
    | sed -E 's/^([0-9]+-[0-9]+) [^ ]+: /\1 /' | md5sum | cut -c1-12)
  echo "check $label: $class lines tracekit $tk_n, sigrok-cli $sr_n; md5 $tk_md / $sr_md"
  echo "$label|$(srate "$n" "$t_tk")|sigrok-cli|$(srate "$n" "$t_sr")|$(ratio "$t_tk" "$t_sr")|$rss"
}

pair "decode i2c sht31 .sr, 96.3 M samples" "$P/i2c/sensirion_sht31_25rh_28rh.sr" 96300032 data-read \
  "i2c --scl SCL --sda SDA" "i2c:scl=SCL:sda=SDA"
pair "decode i2c motherboard .sr, 20 M samples" "$P/i2c/gigabyte_6vle_vxl_i2c.sr" 20000000 data-read \
  "i2c --scl 0 --sda 3" "i2c:scl=0:sda=3"
pair "decode can bus load 100% .sr, 12 M samples" "$P/can/mcp2515dm-bm-125kbits_bus_load_100percent.sr" 12000000 data \
  "can --rx CAN_RX --bitrate 125k" "can:can_rx=CAN_RX:nominal_bitrate=125000"
pair "decode can extmsg (idle) .sr, 12 M samples" "$P/can/mcp2515dm-bm-125kbits_extmsg_11223344_7bytes.sr" 12000000 data \
  "can --rx CAN_RX --bitrate 125k" "can:can_rx=CAN_RX:nominal_bitrate=125000"
pair "decode spi adf4351 .sr, 2 M samples" "$P/spi/set-4000mhz.sr" 2000000 mosi-data \
  "spi --clk 2 --mosi 1 --cs 0" "spi:clk=CLK:mosi=MOSI:cs=CS#"
pair "decode onewire ds1985 main memory .sr, 40 M samples" "$P/onewire_link/ds1985_main_memory.sr" 40000000 reset \
  "onewire --owr 0" "onewire_link:owr=OWR"

# The same 96.3 M samples stored as a plain .npy of logic words (no zip to inflate): the
# decoder's own speed; the output is identical to the .sr's (md5 checked).
npy="$DATA/sht31_words.npy"
$TK slice .. "$P/i2c/sensirion_sht31_25rh_28rh.sr" --raw-codes -q -o "$npy"
warm "$npy"
a=$($TK decode i2c "$npy" --scl 0:2 --sda 0:1 -q --format sigrok | md5sum | cut -c1-12)
b=$($TK decode i2c "$P/i2c/sensirion_sht31_25rh_28rh.sr" --scl SCL --sda SDA -q --format sigrok | md5sum | cut -c1-12)
echo "check i2c sht31 .npy words vs .sr: md5 $a / $b"
t=$(best2 $TK decode i2c "$npy" --scl 0:2 --sda 0:1 -q --format sigrok)
rss=$(peak_rss_mb $TK decode i2c "$npy" --scl 0:2 --sda 0:1 -q --format sigrok)
echo "decode i2c sht31 as .npy u8 words (bits 2, 1), 96.3 M samples|$(srate 96300032 "$t")|-|-|-|$rss"
rm -f "$npy"

# Dense generated captures (`tracekit generate spi|i2c|can --logic`, the message repeated
# to fill SPI_SAMPLES, I2C_SAMPLES, CAN_SAMPLES), packed into one-byte-per-sample sessions (.sr) by
# benches/mksr.py so sigrok-cli reads the very same file. Busy buses: sigrok-cli's
# Python decoders pay per edge, tracekit's state machines per sample run. The check
# compares the data annotation lines, as above.
# Sizes keep sigrok-cli near a minute each on this VM (0.6, 1.6 and 1.2 MS/s).
SPI_SAMPLES=${SPI_SAMPLES:-50M} I2C_SAMPLES=${I2C_SAMPLES:-100M} CAN_SAMPLES=${CAN_SAMPLES:-100M}
PY=${PY:-/work/venv/bin/python}
MKSR="$(cd "$(dirname "$0")/.." && pwd)/mksr.py"
gen() { # gen KIND NAMES RATE SAMPLES ARGS... -> $DATA/gen_KIND.sr
  local kind=$1 names=$2 r=$3 samples=$4; shift 4
  $TK generate "$kind" --logic -q -r "$r" --samples "$samples" -o "$DATA/gen_$kind.npy" "$@"
  "$PY" "$MKSR" "$DATA/gen_$kind.npy" "$DATA/gen_$kind.sr" "$names" "$($TK info "$DATA/gen_$kind.npy" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["sample_rate"])')"
  rm -f "$DATA/gen_$kind.npy"
}
n_of() { $TK info "$1" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["samples"])'; }
gen spi CLK,MISO,MOSI,CS 8M "$SPI_SAMPLES" --bitrate 1M --words 12,34,56,78,9a,bc,de,f0 --miso-words 01,02,03,04,05,06,07,08
n=$(n_of "$DATA/gen_spi.sr")
pair "decode spi generated 1 MHz clock @ 8 MS/s, $SPI_SAMPLES samples" "$DATA/gen_spi.sr" "$n" mosi-data \
  "spi --clk CLK --mosi MOSI --miso MISO --cs CS" "spi:clk=CLK:mosi=MOSI:miso=MISO:cs=CS"
gen i2c SCL,SDA 4M "$I2C_SAMPLES" --bitrate 400k --transaction w:50:0102030405060708 --transaction r:50:a1a2a3a4
n=$(n_of "$DATA/gen_i2c.sr")
pair "decode i2c generated 400 kHz @ 4 MS/s, $I2C_SAMPLES samples" "$DATA/gen_i2c.sr" "$n" data-write \
  "i2c --scl SCL --sda SDA" "i2c:scl=SCL:sda=SDA"
gen can CAN_RX 8M "$CAN_SAMPLES" --bitrate 500k --frame 123#0102030405060708 --frame 1abcdef0#a1a2a3a4
n=$(n_of "$DATA/gen_can.sr")
pair "decode can generated 500 kbit/s @ 8 MS/s, $CAN_SAMPLES samples" "$DATA/gen_can.sr" "$n" data \
  "can --rx CAN_RX --bitrate 500k" "can:can_rx=CAN_RX:nominal_bitrate=500000"
rm -f "$DATA"/gen_spi.sr "$DATA"/gen_i2c.sr "$DATA"/gen_can.sr

# Mostly idle logic, IDLE_SAMPLES (2Gi by default: a 2 GB one-byte-per-sample .npy): one
# 8-byte CAN frame per 20 000 bit times of idle line (99.4 % idle), decoded to the sigrok
# lines. The issue's absolute targets: ≥ 500 M samples/s and peak RSS < 100 MB on 2 GB.
IDLE_SAMPLES=${IDLE_SAMPLES:-2Gi}
idle="$DATA/idle_can.npy"
$TK generate can --logic -q -r 8M --samples "$IDLE_SAMPLES" -o "$idle" --bitrate 500k \
  --frame 123#0102030405060708 --gap 20000
n=$(n_of "$idle")
warm "$idle"
t=$(best2 $TK decode can "$idle" --rx 0 --bitrate 500k -q --format sigrok)
rss=$(peak_rss_mb $TK decode can "$idle" --rx 0 --bitrate 500k -q --format sigrok)
echo "check can idle: $($TK decode can "$idle" --rx 0 --bitrate 500k --format sigrok 2>&1 >/dev/null)"
echo "decode can mostly idle .npy u8, $n samples ($((n / 1000000)) MB)|$(srate "$n" "$t")|-|-|-|$rss"
rm -f "$idle"
