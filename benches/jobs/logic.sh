#!/usr/bin/env bash
# logic: the issue 15 targets for logic formats, side by side in this run.
#   - `stats` on a sigrok session vs `sigrok-cli -i F -O binary` of the same file (wanted: >= 10x)
#   - `stats` on a simulator-like VCD: MB/s of VCD text (wanted: >= 300 MB/s)
#   - peak RSS of both (wanted: < 100 MB on 2 GB files)
# The files are generated into $DATA (never committed): a session of random-ish 8-probe words
# (UART-like idle runs broken by bursts, deflate level 1) and a VCD of a clock, 30 wires and
# 8 x 16-bit buses at 1 ns. Sizes: SR_MB (inflated logic bytes, default 2048) and VCD_MB (text,
# default 2048); smaller values give a quick run.
#   - `decode uart` of the session's RX line by both tools (sigrok-cli on a prefix of
#     PREFIX samples, default 64 Mi, as a whole 2 GB session takes it many minutes;
#     tracekit on the same prefix and on the whole session), and `stats --chunk 7`.
# The generated files are deleted at the end unless KEEP=1 (2 GB each: keep /tmp in budget).
# Env: TK = release tracekit binary, DATA = scratch folder.
# Prints: JOB|TRACEKIT_RATE|PEER|PEER_RATE|RATIO|PEAK_RSS_MB
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
: "${TK:?set TK to the release tracekit binary}" "${DATA:?set DATA to a scratch folder}"
SR_MB="${SR_MB:-2048}" VCD_MB="${VCD_MB:-2048}"
dir="$DATA/logic-bench"
mkdir -p "$dir"
sr="$dir/big-$SR_MB.sr" vcd="$dir/big-$VCD_MB.vcd" prefix="$dir/prefix.sr"
[ "${KEEP:-0}" = 1 ] || trap 'rm -f "$sr" "$vcd" "$prefix" "$dir/block-"*.vcd' EXIT
[ -f "$sr" ] || python3 - "$sr" "$SR_MB" <<'PY'
import random, sys, zipfile
path, mb = sys.argv[1], int(sys.argv[2])
member = 4 << 20
rng = random.Random(15)
# One 4 MiB block of UART-like activity: idle high, bursts of random bytes on bit 0 and 1.
def block(seed):
    r = random.Random(seed)
    out = bytearray(b"\x03" * member)
    at = 0
    while at < member - 4096:
        at += r.randrange(200, 20000)
        for _ in range(r.randrange(1, 12)):
            byte = r.randrange(256) | 0x300
            for bit in range(10):
                v = (byte >> bit) & 1
                end = min(at + 87, member)
                out[at:end] = bytes([v | (r.randrange(2) << 1) | 0x04]) * (end - at)
                at = end
    return bytes(out)
blocks = [block(s) for s in range(8)]
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.writestr("version", "2")
    z.writestr("metadata", "[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\n"
               "total probes=8\nsamplerate=100 MHz\ntotal analog=0\nprobe1=RX\nprobe2=TX\n"
               "probe3=EN\nunitsize=1\n")
    for n in range((mb << 20) // member):
        z.writestr(f"logic-1-{n + 1}", blocks[n % len(blocks)])
PY
# The VCD: Python writes a block of up to 64 MB (Python text output is slow), whose body is
# then repeated with each copy's timestamps shifted past the previous copy's.
block_mb=$((VCD_MB < 64 ? VCD_MB : 64)) block="$dir/block-$VCD_MB.vcd"
[ -f "$vcd" ] || python3 - "$block" "$block_mb" <<'PY'
import random, sys
path, mb = sys.argv[1], int(sys.argv[2])
r = random.Random(15)
ids = [chr(33 + k) for k in range(40)]
head = ["$timescale 1 ns $end", "$scope module tb $end", "$var wire 1 ! clk $end"]
head += [f"$var wire 1 {ids[1 + k]} w{k} $end" for k in range(30)]
head += [f"$var wire 16 {ids[31 + k]} bus{k} $end" for k in range(8)]
head += ["$upscope $end", "$enddefinitions $end", "#0", "$dumpvars"]
head += ["0!"] + [f"0{ids[1 + k]}" for k in range(30)] + [f"b0 {ids[31 + k]}" for k in range(8)] + ["$end"]
with open(path, "w") as f:
    f.write("\n".join(head) + "\n")
    t, clk, size, target = 0, 0, 0, mb << 20
    while size < target:
        lines = []
        for _ in range(20000):
            t += 5
            clk ^= 1
            lines.append(f"#{t}\n{clk}!")
            if clk:
                for k in r.sample(range(30), 3):
                    lines.append(f"{r.randrange(2)}{ids[1 + k]}")
                k = r.randrange(8)
                lines.append(f"b{r.randrange(1 << 16):b} {ids[31 + k]}")
        text = "\n".join(lines) + "\n"
        f.write(text)
        size += len(text)
    f.write(f"#{t + 5}\n")
PY
if [ ! -f "$vcd" ]; then
  reps=$(((VCD_MB + block_mb - 1) / block_mb))
  h=$(awk '/^\$dumpvars/ { d = 1 } d && /^\$end/ { print NR; exit }' "$block")
  last=$(tail -n 1 "$block" | tr -d '#')
  {
    head -n "$h" "$block"
    for ((k = 0; k < reps; k++)); do
      tail -n +"$((h + 1))" "$block" | head -n -1 |
        awk -v o="$((k * last))" '/^#/ { printf "#%d\n", substr($0, 2) + o; next } { print }'
    done
    echo "#$((reps * last))"
  } >"$vcd"
  rm -f "$block"
fi
warm "$sr"; warm "$vcd"
sr_bytes=$(stat -c %s "$sr") vcd_bytes=$(stat -c %s "$vcd")
samples=$("$TK" info --json "$sr" | python3 -c 'import json,sys; print(json.load(sys.stdin)["samples"])')
cpu() { /usr/bin/time -f '%e %U %S %M' -o "$dir/t" "$@" >/dev/null 2>&1; cat "$dir/t"; }
best3() { local best="" t; for _ in 1 2 3; do t=$(cpu "$@"); if [ -z "$best" ] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$t; fi; done; echo "$best"; }
read -r tw tu ts trss <<<"$(best3 "$TK" stats -q "$sr")"
read -r sw su ss srss <<<"$(best3 sigrok-cli -i "$sr" -O binary)"
echo "note: .sr $sr_bytes bytes, $samples samples; tracekit wall $tw s cpu $(awk -v a="$tu" -v b="$ts" 'BEGIN{print a+b}') s; sigrok-cli wall $sw s cpu $(awk -v a="$su" -v b="$ss" 'BEGIN{print a+b}') s"
echo "stats .sr ($samples samples)|$(rate "$samples" "$tw" | sed 's/B\/s/samples\/s/')|sigrok-cli -O binary|$(rate "$samples" "$sw" | sed 's/B\/s/samples\/s/')|$(ratio "$tw" "$sw")|$((trss / 1024)) (sigrok-cli $((srss / 1024)))"
read -r vw vu vs vrss <<<"$(best3 "$TK" stats -q "$vcd")"
vsamples=$("$TK" info --json "$vcd" | python3 -c 'import json,sys; print(json.load(sys.stdin)["samples"])')
echo "note: .vcd $vcd_bytes bytes, $vsamples samples; wall $vw s, cpu $(awk -v a="$vu" -v b="$vs" 'BEGIN{print a+b}') s"
echo "stats .vcd (wall)|$(rate "$vcd_bytes" "$vw")|-|-|-|$((vrss / 1024))"
echo "stats .vcd (CPU time)|$(rate "$vcd_bytes" "$(awk -v a="$vu" -v b="$vs" 'BEGIN{print a+b}')")|-|-|-|-"

# Parsing alone: the same dump with only the clock's statistics (one channel of 39).
read -r kw ku ks krss <<<"$(best3 "$TK" stats -q --channel tb.clk "$vcd")"
echo "parse .vcd (stats of one channel, wall)|$(rate "$vcd_bytes" "$kw")|-|-|-|$((krss / 1024))"

# decode uart (RX: 87 samples per bit at 100 MHz) on the same file by both tools.
baud=1149425
n_prefix=${PREFIX:-67108864}
"$TK" slice "..$n_prefix" "$sr" -q -o "$prefix"
warm "$prefix"
read -r pw pu ps prss <<<"$(best3 "$TK" decode uart --channel RX --baud $baud -q --format csv "$prefix")"
read -r qw qu qs qrss <<<"$(cpu sigrok-cli -i "$prefix" -P uart:rx=RX:baudrate=$baud -A uart=rx-data)"
a=$("$TK" decode uart --channel RX --baud $baud -q --format csv "$prefix" | tail -n +2 | wc -l)
b=$(sigrok-cli -i "$prefix" -P uart:rx=RX:baudrate=$baud -A uart=rx-data | wc -l)
echo "check: uart bytes on the $n_prefix-sample prefix: tracekit $a, sigrok-cli $b"
echo "decode uart .sr prefix ($n_prefix samples)|$(rate "$n_prefix" "$pw" | sed 's/B\/s/samples\/s/')|sigrok-cli uart|$(rate "$n_prefix" "$qw" | sed 's/B\/s/samples\/s/')|$(ratio "$pw" "$qw")|$((prss / 1024)) (sigrok-cli $((qrss / 1024)))"
read -r dw du ds drss <<<"$(best3 "$TK" decode uart --channel RX --baud $baud -q --format csv "$sr")"
echo "decode uart .sr whole ($samples samples)|$(rate "$samples" "$dw" | sed 's/B\/s/samples\/s/')|-|-|-|$((drss / 1024))"
read -r cw cu cs crss <<<"$(cpu "$TK" stats -q --chunk 7 "$prefix")"
read -r ow ou os orss <<<"$(cpu "$TK" stats -q "$prefix")"
same=$([ "$("$TK" stats -q --json --chunk 7 "$prefix")" = "$("$TK" stats -q --json "$prefix")" ] && echo equal || echo DIFFER)
echo "check: stats --chunk 7 vs default chunk on the prefix: $same"
echo "stats .sr prefix --chunk 7|$(rate "$n_prefix" "$cw" | sed 's/B\/s/samples\/s/')|stats default chunk|$(rate "$n_prefix" "$ow" | sed 's/B\/s/samples\/s/')|$(ratio "$cw" "$ow")|$((crss / 1024))"
