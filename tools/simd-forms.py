#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Coverage audit of the SIMD decode table (src/engine/emu/sse_table.c)
# by the differential tests, and generator of tests/unit/emu_fp_forms_test.c.
#
# A "form" is one table row (opcode map, opcode, mandatory prefix) in one
# encoding: legacy, legacy on MMX registers, VEX.128, VEX.256 (or
# VEX.LIG for scalars), with the W bit where it selects another
# instruction, the ModRM.reg field of the shift groups, and a register
# or a memory operand. The expected forms follow from the row flags
# (F_VEXONLY, F_NOVEX, F_L0, F_L1, F_LIG, F_W0, F_REGONLY, F_MEMONLY);
# the covered ones come from assembling every test row and decoding
# the bytes.
#
#   tools/simd-forms.py build/debug          coverage report
#   tools/simd-forms.py build/debug --emit   rewrite emu_fp_forms_test.c
#
# --emit writes one row for each form that the hand-written tests
# (emu_fp_sse_test.c, emu_fp_avx_test.c) lack: register operands xmm1
# (rm), xmm2 (vvvv), xmm0 (reg), memory 0x20(%rbx), imm8 0x1b (0x30 for
# the VEX blends, whose imm8[7:4] names a register). The text is what
# objdump prints when gas gives back the same bytes, else .byte.
# Needs gcc, clang, as, objcopy and objdump (x86-64 binutils).
import collections
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAND = ['tests/unit/emu_fp_sse_test.c', 'tests/unit/emu_fp_avx_test.c']
GEN = 'tests/unit/emu_fp_forms_test.c'

F_MMX, F_NDS, F_LIG, F_L0 = 0x8, 0x100, 0x200, 0x400
F_NOVEX, F_VEXONLY, F_REGONLY, F_MEMONLY = 0x800, 0x1000, 0x2000, 0x4000
F_L1, F_W0, F_W1 = 0x10000, 0x20000, 0x40000

# Rows whose REX.W / VEX.W picks another instruction (MOVD/MOVQ,
# PEXTRD/Q, CVTSI2SS r32/r64, VPSRLVD/Q, gathers, FMA PS/PD, ...).
WSIG = {(1, 0x6e, 0), (1, 0x6e, 1), (1, 0x7e, 0), (1, 0x7e, 1),
        (3, 0x16, 1), (3, 0x22, 1), (1, 0x2a, 2), (1, 0x2a, 3),
        (1, 0x2c, 2), (1, 0x2c, 3), (1, 0x2d, 2), (1, 0x2d, 3),
        (2, 0x45, 1), (2, 0x47, 1), (2, 0x8c, 1), (2, 0x8e, 1),
        (3, 0x60, 1), (3, 0x61, 1)}
WSIG |= {(2, o, 1) for o in range(0x90, 0x94)}
WSIG |= {(2, o, 1) for o in range(0x96, 0xc0)}
# Shift groups 12-14: the ModRM.reg values that exist (SDM Vol. 2D,
# Table A-6); 73 /3 and /7 (PSRLDQ, PSLLDQ) only with 66.
GROUPS = {(1, 0x71, 0): [2, 4, 6], (1, 0x71, 1): [2, 4, 6],
          (1, 0x72, 0): [2, 4, 6], (1, 0x72, 1): [2, 4, 6],
          (1, 0x73, 0): [2, 6], (1, 0x73, 1): [2, 3, 6, 7]}
NOMODRM = {(1, 0x77, 0)}
IMM8_MAP1 = {0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6}


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          **kw).stdout


def table(build, tmp):
    """(map, op, pfx) -> (handler name, flags), from the built library."""
    hdr = open(os.path.join(TOP, 'src/engine/emu/sse.h')).read()
    names = [n for n in re.findall(r'SIMD\((\w+)\);', hdr)]
    c = ['#include "engine/emu/sse.h"', '#include <stdio.h>',
         'static const struct { simd_fn f; const char *n; } nm[] = {']
    c += ['{ %s, "%s" },' % (n, n) for n in names]
    c += ['};', 'int main(void) {',
          ' for (unsigned i = 0; i < SIMD_TABLE_SIZE; i++) {',
          '  const char *n = "?";',
          '  if (!simd_table[i].fn) continue;',
          '  for (unsigned k = 0; k < sizeof nm / sizeof nm[0]; k++)',
          '   if (nm[k].f == simd_table[i].fn) n = nm[k].n;',
          '  printf("%u %u %u %s %u\\n", i / 1024 + 1, (i / 4) % 256,',
          '         i % 4, n, (unsigned)simd_table[i].flags);', ' }',
          ' return 0;', '}']
    src, exe = os.path.join(tmp, 'dump.c'), os.path.join(tmp, 'dump')
    open(src, 'w').write('\n'.join(c) + '\n')
    run('gcc', '-std=c11', '-I' + TOP + '/include', '-I' + TOP + '/src',
        '-D_GNU_SOURCE', '-o', exe, src, os.path.join(build, 'libhvf.a'),
        '-lpthread')
    t = {}
    for line in run(exe).splitlines():
        m, op, p, fn, fl = line.split()
        t[(int(m), int(op), int(p))] = (fn, int(fl))
    return t


def expected(tbl):
    out = set()
    for key, (fn, fl) in tbl.items():
        if fn == 'st_grp15':
            continue                      # listed apart, see report()
        m, op, p = key
        mmx = bool(fl & F_MMX) and p == 0
        encs = []
        if not fl & F_VEXONLY:
            encs.append(('mmx' if mmx else 'leg', None))
        if not fl & F_NOVEX and not mmx:
            ls = ['lig'] if fl & F_LIG else [0] if fl & F_L0 else \
                 [1] if fl & F_L1 else [0, 1]
            encs += [('vex', l) for l in ls]
        if key in NOMODRM:
            out |= {(e, m, op, p, l, None, None, '-') for e, l in encs}
            continue
        mods = ['r'] if fl & F_REGONLY else ['m'] if fl & F_MEMONLY \
            else ['r', 'm']
        ws = [0, 1] if key in WSIG else [None]
        for e, l in encs:
            for w in ws:
                if w == 1 and (fl & F_W0 or
                               (e == 'mmx' and op not in (0x6e, 0x7e))):
                    continue
                for g in GROUPS.get(key, [None]):
                    if e == 'mmx' and g in (3, 7):
                        continue
                    out |= {(e, m, op, p, l, w, g, md) for md in mods}
    return out


def decode(b, tbl):
    i, pfx, rexw = 0, 0, 0
    while b[i] in (0x66, 0xf2, 0xf3) or 0x40 <= b[i] <= 0x4f:
        if b[i] == 0x66 and pfx == 0:
            pfx = 1
        elif b[i] in (0xf3, 0xf2):
            pfx = 2 if b[i] == 0xf3 else 3
        elif b[i] >= 0x40 and b[i] <= 0x4f:
            rexw = (b[i] >> 3) & 1
        i += 1
    vex = b[i] in (0xc4, 0xc5)
    if b[i] == 0xc5:
        m, w, l, p = 1, 0, (b[i + 1] >> 2) & 1, b[i + 1] & 3
        i += 2
    elif b[i] == 0xc4:
        m, w = b[i + 1] & 31, b[i + 2] >> 7
        l, p = (b[i + 2] >> 2) & 1, b[i + 2] & 3
        i += 3
    else:
        if b[i] != 0x0f:
            return None
        i += 1
        m = {0x38: 2, 0x3a: 3}.get(b[i], 1)
        i += m != 1
        p, w, l = pfx, rexw, None
    op = b[i]
    key = (m, op, p)
    if key not in tbl:
        return None
    fl = tbl[key][1]
    md, reg = '-', None
    if key not in NOMODRM:
        md, reg = 'r' if b[i + 1] >> 6 == 3 else 'm', (b[i + 1] >> 3) & 7
    if vex:
        e = 'vex'
        l = 'lig' if fl & F_LIG else l
    else:
        e = 'mmx' if fl & F_MMX and p == 0 else 'leg'
    return (e, m, op, p, l, w if key in WSIG else None,
            reg if key in GROUPS else None, md)


def assemble(text, tmp, tool=('as',)):
    s, o, b = (os.path.join(tmp, 'f' + x) for x in ('.s', '.o', '.bin'))
    open(s, 'w').write(text.replace('\\n', '\n') + '\n')
    try:
        run(*tool, '-o', o, s)
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    run('objcopy', '-O', 'binary', '-j', '.text', o, b)
    return open(b, 'rb').read()


def test_rows(files):
    for f in files:
        text = open(os.path.join(TOP, f)).read()
        for mm in re.finditer(r'X\((\d+), (FK_\w+), "(.*)"\)', text):
            yield f, mm.group(3)


def covered(tbl, files, tmp):
    cov = collections.defaultdict(list)
    for f, t in test_rows(files):
        b = assemble(t, tmp)
        d = b and decode(b, tbl)
        if d:
            cov[d].append(t)
    return cov


def encode(k, tbl):
    e, m, op, p, l, w, g, md = k
    fn, fl = tbl[(m, op, p)]
    reg = g if g is not None else 0
    modrm = b'' if md == '-' else bytes([0xc0 | reg << 3 | 1]) \
        if md == 'r' else bytes([0x40 | reg << 3 | 3, 0x20])
    imm = b''
    if m == 3 or (m == 1 and op in IMM8_MAP1):
        imm = bytes([0x30 if m == 3 and op in (0x4a, 0x4b, 0x4c) else 0x1b])
    if e == 'vex':
        # VMOVSS/VMOVSD with memory have no vvvv operand.
        v = 2 if fl & F_NDS and not (md == 'm' and op in (0x10, 0x11)) \
            else 0
        ww = w or (1 if fl & F_W1 else 0)
        ll = 0 if l == 'lig' else l
        return bytes([0xc4, 0xe0 | m, ww << 7 | (~v & 15) << 3 | ll << 2 |
                      p, op]) + modrm + imm
    pre = bytes([[0, 0x66, 0xf3, 0xf2][p]]) if p else b''
    pre += b'\x48' if w else b''
    pre += b'\x0f' + {1: b'', 2: b'\x38', 3: b'\x3a'}[m]
    return pre + bytes([op]) + modrm + imm


def kind(k, tbl):
    e, m, op, p, l, w, g, md = k
    fn = tbl[(m, op, p)][0]
    if fn == 'st_pcmpstr':
        return 'FK_STR'
    if fn in ('vx_shift_var', 'i_shift_xmm'):
        return 'FK_SHIFT'
    if fn == 'vx_cvtph2ps':
        return 'FK_F16'
    if fn.startswith('vx_fma'):
        return 'FK_F64' if w else 'FK_F32'
    if fn == 'fp_round':
        return 'FK_F32' if op in (8, 10) else 'FK_F64'
    if (fn == 'cvt_5b' and p == 0) or (fn == 'cvt_e6' and p == 2):
        return 'FK_INT'
    if fn.startswith(('fp_', 'cvt_')) or fn == 'vx_cvtps2ph':
        return 'FK_F64' if p in (1, 3) else 'FK_F32'
    return 'FK_INT'


def row_text(k, tbl, tmp):
    b = encode(k, tbl)
    open(os.path.join(tmp, 'g.bin'), 'wb').write(b)
    dis = run('objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64',
              os.path.join(tmp, 'g.bin'))
    line = [x for x in dis.splitlines() if re.match(r'\s+0:', x)]
    txt = re.sub(r'\s+', ' ', line[0].split('\t')[-1].strip()) if line \
        else '(bad)'
    if '(bad)' in txt:
        return None
    # The text must give the same bytes with gas and with clang's
    # assembler (the tests build with both compilers).
    if assemble(txt, tmp) == b and \
            assemble(txt, tmp, ('clang', '-c', '-x', 'assembler')) == b:
        return txt
    return '.byte ' + ','.join('0x%02x' % x for x in b) + ' /* %s */' % txt


HEAD = '''/* SPDX-License-Identifier: MIT */
/* Differential test of the decode-table forms that the hand-written
 * lists (emu_fp_sse_test.c, emu_fp_avx_test.c) do not name: every
 * legacy/MMX/VEX.128/VEX.256 encoding, W variant and register/memory
 * operand of every row of src/engine/emu/sse_table.c runs natively and
 * in the engine on random registers, memory and MXCSR modes.
 * Generated by tools/simd-forms.py --emit; do not edit the rows. */
#include "emu_fp_harness.h"
#include "../lib/test.h"

#include <cpuid.h>

#define GEN_FORMS(X) \\
'''
TAIL = '''
#define DEF(id, k, t) FP_FORM(g##id, t);
GEN_FORMS(DEF)

static const struct fp_form gen_forms[] = {
#define ROW(id, k, t) FP_ROW(g##id, k, t),
	GEN_FORMS(ROW)
};

#ifndef FP_CASES
#define FP_CASES 200
#endif

/* PCMPESTRx lengths in EAX/EDX: small, in range or not. */
static void prep(struct fp_image *img, int kind)
{
	if (kind == FK_STR)
		for (unsigned r = 0; r < 3; r += 2)
			img->gpr[r] = fp_rnd() % 41 - 20;
}

/* The same CPUID bits as emu_fp_avx_test.c (SDM Vol. 2A, CPUID). */
static bool host_has_all(void)
{
	unsigned a, b, c, d, b7;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_2) ||
	    !(c & bit_AES) || !(c & bit_PCLMUL) || !(c & bit_FMA) ||
	    !(c & bit_F16C) || !(c & bit_AVX))
		return false;
	return __get_cpuid_count(7, 0, &a, &b7, &c, &d) && (b7 & bit_AVX2);
}

TEST(emu_fp_table_forms)
{
	if (!host_has_all()) {
		test_skip("host without AVX2/FMA/F16C/AES/PCLMUL/SSE4.2");
		return;
	}
	EXPECT_EQ(0, fp_run_forms(gen_forms,
				 sizeof(gen_forms) / sizeof(gen_forms[0]),
				 FP_CASES, prep));
}
'''


def order(k):
    return (k[1], k[2], k[3], k[0], str(k[4]), str(k[5]), str(k[6]), k[7])


def emit(tbl, tmp):
    missing = sorted(expected(tbl) - set(covered(tbl, HAND, tmp)), key=order)
    rows = []
    for k in missing:
        if tbl[k[1:4]][0] == 'vx_gather':
            continue                      # needs a VSIB operand
        t = row_text(k, tbl, tmp)
        if t is None:
            sys.exit('no encoding for %s' % (k,))
        rows.append('\tX(%d, %s, "%s")' % (len(rows), kind(k, tbl), t))
    open(os.path.join(TOP, GEN), 'w').write(HEAD + ' \\\n'.join(rows) +
                                            '\n' + TAIL)
    print('%s: %d rows' % (GEN, len(rows)))


def report(tbl, tmp):
    exp = expected(tbl)
    cov = covered(tbl, HAND + [GEN], tmp)
    miss = sorted(exp - set(cov), key=order)
    print('forms in the table: %d, covered: %d, not covered: %d' %
          (len(exp), len(exp & set(cov)), len(miss)))
    for k in miss:
        print('  not covered:', k, tbl[k[1:4]][0])
    g15 = sorted(k for k, v in tbl.items() if v[0] == 'st_grp15')
    print('group 15 rows (FXSAVE/XSAVE/LDMXCSR/fences/FSGSBASE, tested '
          'apart): %s' % ', '.join('%d-%02x-%d' % k for k in g15))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__ or 'usage: simd-forms.py BUILD_DIR [--emit]')
    with tempfile.TemporaryDirectory() as tmp:
        tbl = table(os.path.abspath(sys.argv[1]), tmp)
        if '--emit' in sys.argv:
            emit(tbl, tmp)
        report(tbl, tmp)


main()
