# mksr.py IN.npy OUT.sr NAMES RATE: the 0/1 u8 columns of IN as probes NAMES (comma-separated),
# one byte per sample (unitsize 1), in a sigrok session that sigrok-cli reads (benches only).
import sys, zipfile, numpy as np
src, dst, names = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
x = np.load(src, mmap_mode='r')
if x.ndim == 1: x = x[:, None]
rate = int(float(sys.argv[4]))
n = x.shape[0]
with zipfile.ZipFile(dst, 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    z.writestr('version', '2')
    meta = '[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\ntotal probes=%d\nsamplerate=%d Hz\ntotal analog=0\n' % (len(names), rate)
    meta += ''.join('probe%d=%s\n' % (i + 1, nm) for i, nm in enumerate(names)) + 'unitsize=1\n'
    z.writestr('metadata', meta)
    step = 4 << 20
    for k, a in enumerate(range(0, n, step)):
        blk = np.asarray(x[a:a + step])
        b = np.zeros(blk.shape[0], np.uint8)
        for c in range(len(names)):
            b |= (blk[:, c] & 1) << c
        z.writestr('logic-1-%d' % (k + 1), b.tobytes())
