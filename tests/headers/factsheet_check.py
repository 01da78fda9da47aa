#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cross-check the public headers against the API fact sheet (hvf-api.md).

Extracts every constant, typedef, struct size and function signature from the
fact sheet's tables and code blocks, then checks, printing TAP:
  - the fact sheet's own totals (169 VMCS fields, 81 functions = export list);
  - the header set and include graph of its section 1;
  - each prototype in include/Hypervisor/*.h, text-for-text (names included);
  - each constant's value, type sizes and struct layouts, by compiling and
    running a probe program against the headers (needs $CC, default cc);
  - that tests/api/hv_constants.def and hv_functions.def are up to date.

Usage: factsheet_check.py [--factsheet PATH] [--write-defs]
The fact sheet defaults to <repo>/../shared/docs/hvf-api.md (or $HVF_FACTSHEET);
if it is absent the script prints a TAP skip and exits 0.
--write-defs regenerates the two .def files from the fact sheet.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = ROOT / "include"
HDR_DIR = INCLUDE / "Hypervisor"
CONST_DEF = ROOT / "tests" / "api" / "hv_constants.def"
FUNC_DEF = ROOT / "tests" / "api" / "hv_functions.def"

# Fact-sheet section -> constant group (one X-macro per group in the .def).
GROUPS = [
    ("2", "HVC_ERR"),      # hv_error.h
    ("3", "HVC_TYPES"),    # hv_types.h, hv_vm_allocate.h, kHV_ION_*
    ("4", "HVC_INTR"),     # hv_intr.h
    ("6", "HVC_VMX"),      # hv_vmx.h
    ("7", "HVC_X86"),      # hv_arch_x86.h
    ("8.1", "HVC_VMCS"),   # hv_arch_vmx.h: VMCS field encodings
    ("8.3", "HVC_CTRL"),   # VMX_BASIC_TRUE_CTLS
    ("8.4", "HVC_CTRL"),   # control bits
    ("8.5", "HVC_REASON"),
    ("8.6", "HVC_MSR"),
    ("8.7", "HVC_IRQ"),
    ("8.8", "HVC_IRQ"),
]
GROUP_DOC = {
    "HVC_ERR": "hv_error.h return codes (section 2): (name, value, as signed int)",
    "HVC_TYPES": "hv_types.h, hv_vm_allocate.h, kHV_ION_* (section 3.2)",
    "HVC_INTR": "hv_intr.h (section 4)",
    "HVC_VMX": "hv_vmx.h (sections 6.1-6.3)",
    "HVC_X86": "hv_arch_x86.h registers and __HV_X86_* macros (section 7)",
    "HVC_VMCS": "hv_arch_vmx.h VMCS field encodings (section 8.1)",
    "HVC_CTRL": "hv_arch_vmx.h VMX_BASIC_TRUE_CTLS and control bits (8.3, 8.4)",
    "HVC_REASON": "hv_arch_vmx.h exit reasons (section 8.5)",
    "HVC_MSR": "hv_arch_vmx.h managed MSRs (section 8.6)",
    "HVC_IRQ": "hv_arch_vmx.h IRQ_INFO_* and GUEST_INTRBILITY_* (8.7, 8.8)",
}
GROUP_ORDER = ["HVC_ERR", "HVC_TYPES", "HVC_INTR", "HVC_VMX", "HVC_X86",
               "HVC_VMCS", "HVC_CTRL", "HVC_REASON", "HVC_MSR", "HVC_IRQ"]

NAME_RE = r"k?[A-Z_][A-Z0-9_]*"
U64 = (1 << 64) - 1


def c_eval(expr):
    """Value of a small C integer constant expression, or None."""
    e = expr.strip().strip("`").strip()
    if not re.fullmatch(r"[0-9a-fA-FxXuUlL<>~()| \t]+", e):
        return None
    e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", e)
    try:
        v = eval(e, {"__builtins__": {}}, {})  # digits and operators only
    except Exception:
        return None
    return v & U64 if v < 0 else v


def cell_value(cell):
    """Value in a table's value column: '0x..', '1 (1<<0)', '`k..` = 2 ...'."""
    c = cell.replace("`", "")
    if "=" in c:
        c = c.rsplit("=", 1)[1]
    c = c.strip()
    if c.startswith("~0ull"):
        return U64
    m = re.match(r"(0x[0-9a-fA-F]+|\d+)\b", c)
    return int(m.group(1), 0) if m else None


class FactSheet:
    def __init__(self, text):
        self.text = text
        self.consts = {}      # name -> [group, value, signed or None, hexstyle]
        self.order = []
        self.types = []       # (typedef name, definition text)
        self.funcs = []       # (ret, name, [(type, pname)])
        self.exports = set()
        self.includes = {}    # header -> Hypervisor headers it includes (§1)
        self.layout = []      # (kind, type, member or None, number)
        self.errors = []
        self._parse()

    def add(self, name, group, value, hexstyle, signed=None):
        old = self.consts.get(name)
        if old:
            if old[1] != value:
                self.errors.append("%s: %#x vs %#x" % (name, old[1], value))
            return
        self.consts[name] = [group, value, signed, hexstyle]
        self.order.append(name)

    def _sections(self):
        sec, lines = None, []
        for line in self.text.splitlines():
            m = re.match(r"#{2,3} (\d+(?:\.\d+)?)\.? ", line)
            if m:
                if sec is not None:
                    yield sec, lines
                sec, lines = m.group(1), []
            elif sec is not None:
                lines.append(line)
        if sec is not None:
            yield sec, lines

    @staticmethod
    def _group(sec):
        best = None
        for prefix, group in GROUPS:
            if sec == prefix or sec.startswith(prefix + "."):
                if best is None or len(prefix) > len(best[0]):
                    best = (prefix, group)
        return best[1] if best else None

    def _parse(self):
        for sec, lines in self._sections():
            group = self._group(sec)
            in_code = False
            for line in lines:
                if line.startswith("```"):
                    in_code = not in_code
                    continue
                if in_code:
                    self._code_line(sec, group, line)
                elif line.startswith("|"):
                    self._table_line(sec, group, line)
                else:
                    self._prose_line(group, line)
        self._derived()

    def _table_line(self, sec, group, line):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if sec == "1":
            m = re.fullmatch(r"`(\w+\.h)`", cells[0])
            if m and len(cells) > 1:
                inc = cells[1].split("includes", 1)[1] if "includes" in cells[1] else ""
                self.includes[m.group(1)] = re.findall(r"`(\w+\.h)`", inc)
            return
        if sec == "3.1":
            m = re.fullmatch(r"`(hv_\w+_t)`", cells[0])
            if m:
                self.types.append((m.group(1), cells[1]))
            return
        if sec.startswith("5") or sec.startswith("6"):
            self._func_cell(cells[0])
        if not group:
            return
        for i, cell in enumerate(cells[:-1]):
            m = re.fullmatch("`(%s)`" % NAME_RE, cell)
            if not m:
                continue
            value = cell_value(cells[i + 1])
            if value is None:
                continue
            hexstyle = "0x" in cells[i + 1].split("(")[0]
            signed = None
            if group == "HVC_ERR":
                signed = int(cells[i + 2])
            self.add(m.group(1), group, value, hexstyle, signed)

    def _func_cell(self, cell):
        m = re.match(r"`(?:(hv_return_t|uint64_t) )?(hv_\w+)\((.*?)\);?`", cell)
        if not m:
            return
        ret = m.group(1) or "hv_return_t"
        self.funcs.append((ret, m.group(2), split_params(m.group(3))))

    def _prose_line(self, group, line):
        for m in re.finditer(r"`(mach_msg_\w+_t)` \((\d+) bytes\)", line):
            self.layout.append(("size", m.group(1), None, int(m.group(2))))
        for m in re.finditer(r"(?:x86_64-only|prototypes\)): `([^`]+)`", line):
            self.exports |= set(m.group(1).split())
        if not group:
            return
        for m in re.finditer(r"`(%s) = ([^`]+)`" % NAME_RE, line):
            v = c_eval(m.group(2))
            if v is not None:
                self.add(m.group(1), group, v, "x" in m.group(2))
        for m in re.finditer(r"`(%s) (\([^`]+\))`" % NAME_RE, line):
            v = c_eval(m.group(2))
            if v is not None:
                self.add(m.group(1), group, v, "x" in m.group(2))
        for m in re.finditer(r"`#define (\w+) ([^`]+)`", line):
            v = c_eval(m.group(2))
            if v is not None:
                self.add(m.group(1), group, v, "x" in m.group(2))

    def _code_line(self, sec, group, line):
        for m in re.finditer(r"\b(HV_[A-Z0-9_]+)\s*=\s*(\d+)", line):
            self.add(m.group(1), group, int(m.group(2)), False)
        m = re.match(r"#define (\w+)\s+\((\d+)\)", line)
        if m:
            self.add(m.group(1), group, int(m.group(2)), False)
        m = re.match(r"(?:typedef )?struct (\w+)? ?\{.*?/\* sizeof (\d+)", line)
        if m and m.group(1):
            self.layout.append(("size", "struct " + m.group(1), None,
                                int(m.group(2))))
        m = re.search(r"\} (\w+);\s*/\* sizeof (\d+)", line)
        if m:
            self.layout.append(("size", m.group(1), None, int(m.group(2))))
            if sec == "3.3":
                self.layout.append(("align", m.group(1), None, 8))
        m = re.match(r"\s+\w+\s+(\w+);\s*/\*.*offset (\d+)(?:, (\d+) bytes)?", line)
        if m and sec == "3.3":
            self.layout.append(("offset", "hv_ion_message_t", m.group(1),
                                int(m.group(2))))
            if m.group(3):
                self.layout.append(("msize", "hv_ion_message_t", m.group(1),
                                    int(m.group(3))))
        m = re.match(r"enum (\w+) : uint(\d+)_t", line)
        if m:
            self.layout.append(("size", "enum " + m.group(1), None,
                                int(m.group(2)) // 8))

    def _derived(self):
        """Names the brief requires beyond the tables, derived from them."""
        c = self.consts
        # §8.4: the 10.10 name of secondary-control bit 2.
        if "CPU_BASED2_DESC_TABLE" in c and "CPU_BASED2_DESCR_TABLE_EXIT" in self.text:
            self.add("CPU_BASED2_DESCR_TABLE_EXIT", "HVC_CTRL",
                     c["CPU_BASED2_DESC_TABLE"][1], True)
        # §7: every register is mirrored by a __HV_X86_<NAME> macro.
        for name in [n for n in self.order if n.startswith("HV_X86_")]:
            self.add("__" + name, "HVC_X86", c[name][1], False)
        # §2: "this base is `0xfae94000`".
        m = re.search(r"this base is `(0x[0-9a-f]+)`", self.text)
        if m:
            base = int(m.group(1), 16)
            self.add("err_common_hypervisor", "HVC_ERR", base, True,
                     base - (1 << 32))


def split_params(text):
    params = []
    text = text.strip()
    if text in ("", "void"):
        return params
    for p in text.split(","):
        p = " ".join(p.split())
        m = re.fullmatch(r"(.*?)\s*\b(\w+)\s*(\[[^\]]*\])?", p)
        params.append((m.group(1) + (" " + m.group(3) if m.group(3) else ""),
                       m.group(2)))
    return params


def canon(sig):
    """Whitespace-insensitive form of a declaration."""
    s = " ".join(sig.replace("*", " * ").replace("[", " [ ").split())
    s = s.replace(" * ", " *").replace(" [ ", "[").replace(" ( ", "(")
    return re.sub(r"\s*([(),\]])\s*", r"\1", s).replace(",", ", ")


def proto_text(ret, name, params):
    inner = ", ".join("%s %s" % (t.split(" [")[0], n) +
                      ("[" + t.split("[")[1] if "[" in t else "")
                      for t, n in params) or "void"
    return canon("%s %s(%s)" % (ret, name, inner))


def def_type(t):
    """Parameter type as used in a function-pointer type (hv_functions.def)."""
    t = re.sub(r"\b_N(ullable|onnull)\b", "", t)
    if "[" in t:
        t = t.split("[")[0].strip() + " *"
    t = " ".join(t.replace("*", " * ").split()).replace("* *", "**")
    return t


def header_protos():
    """{name: canonical prototype} for every hv_* function in the headers."""
    found = {}
    for path in sorted(HDR_DIR.glob("*.h")):
        if path.name == "hv_openhvf.h":
            continue
        src = path.read_text()
        src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
        src = re.sub(r"//[^\n]*", " ", src)
        src = re.sub(r"^\s*#.*?(?<!\\)$", " ", src, flags=re.M | re.S)
        for m in re.finditer(r"\b(hv_return_t|uint64_t)\s+(hv_\w+)\s*\(([^;{}]*?)\)\s*;", src):
            if m.group(2) in found:
                found[m.group(2)] = "DUPLICATE in " + path.name
            else:
                found[m.group(2)] = canon("%s %s(%s)" % m.groups())
    return found


def gen_const_def(fs):
    out = ["/* SPDX-License-Identifier: MIT */",
           "/* Every constant of the public headers with its value from the API fact",
           " * sheet (hvf-api.md sections 2-8), plus the compatibility names the",
           " * headers add. Generated by tests/headers/factsheet_check.py",
           " * --write-defs: do not edit by hand. X-macros, one per group; a group",
           " * the includer does not define expands to nothing:"]
    for g in GROUP_ORDER:
        out.append(" *   %-10s %s" % (g, GROUP_DOC[g]))
    out.append(" */")
    for g in GROUP_ORDER:
        args = "(name, value, svalue)" if g == "HVC_ERR" else "(name, value)"
        out += ["#ifndef " + g, "#define %s%s" % (g, args), "#endif"]
    for g in GROUP_ORDER:
        out.append("")
        for n in fs.order:
            grp, v, signed, hexstyle = fs.consts[n]
            if grp != g:
                continue
            if v > 0xffffffff:
                val = "0x%xull" % v
            elif hexstyle:
                val = "0x%08x" % v
            else:
                val = "%d" % v
            if g == "HVC_ERR":
                out.append("%s(%s, %s, %d)" % (g, n, val, signed))
            else:
                out.append("%s(%s, %s)" % (g, n, val))
    out.append("")
    out += ["#undef " + g for g in GROUP_ORDER]
    return "\n".join(out) + "\n"


def gen_func_def(fs):
    out = ["/* SPDX-License-Identifier: MIT */",
           "/* The 81 x86_64 functions (hvf-api.md sections 5-6) as",
           " * HV_FN(return type, name, (parameter types)). Generated by",
           " * tests/headers/factsheet_check.py --write-defs: do not edit by hand. */",
           "#ifndef HV_FN",
           "#define HV_FN(ret, name, params)",
           "#endif", ""]
    for ret, name, params in fs.funcs:
        types = ", ".join(def_type(t) for t, _ in params) or "void"
        out.append("HV_FN(%s, %s, (%s))" % (ret, name, types))
    out += ["", "#undef HV_FN"]
    return "\n".join(out) + "\n"


PROBE_TYPE_C = {"unsigned": "unsigned int", "uint64_t": "uint64_t",
                "uint32_t": "uint32_t", "const void *": "const void *"}


def probe_source(fs):
    lines = ["#include <Hypervisor/Hypervisor.h>", "#include <stddef.h>",
             "#include <stdio.h>", "#include <stdint.h>",
             "#define P(n) printf(\"C %s %llu %d %u\\n\", #n, "
             "(unsigned long long)(n), (n) < 0, (unsigned)sizeof(n))",
             "int main(void)", "{"]
    for n in fs.order:
        lines.append("\tP(%s);" % n)
    for t, d in fs.types:
        base = d.split(" (")[0].strip("`")
        m = re.match(r"OS_ENUM\(\w+, (\w+)", base)
        if m:
            base = m.group(1)
        ident = PROBE_TYPE_C.get(base)
        generic = ("_Generic((%s){0}, %s: 1, default: 0)" % (t, ident)
                   if ident else "1")
        lines.append('\tprintf("T %s %%u %%d\\n", (unsigned)sizeof(%s), %s);'
                     % (t, t, generic))
    for kind, t, member, _ in fs.layout:
        if kind == "size":
            expr = "sizeof(%s)" % t
        elif kind == "align":
            expr = "_Alignof(%s)" % t
        elif kind == "msize":
            expr = "sizeof(((%s *)0)->%s)" % (t, member)
        else:
            expr = "offsetof(%s, %s)" % (t, member)
        lines.append('\tprintf("L %s %s %s %%u\\n", (unsigned)%s);'
                     % (kind, t.replace(" ", "_"), member or "-", expr))
    lines.append('\tprintf("S hv_return_t %d\\n", (hv_return_t)-1 < 0);')
    lines += ["\treturn 0;", "}"]
    return "\n".join(lines) + "\n"


def type_expect(defn):
    """(size, exact C type or None) from a section 3.1 definition cell."""
    d = defn.strip("`")
    if "uint64_t" in d and "32-bit" not in d:
        return 8, None if "OS_ENUM" in d else "uint64_t"
    if "const void *" in d:
        return 8, "const void *"
    if d.startswith("unsigned") or "uint32_t" in d or "32-bit" in d:
        return 4, None
    return None, None


def run_probe(fs):
    cc = os.environ.get("CC", "cc")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "probe.c"
        exe = Path(tmp) / "probe"
        src.write_text(probe_source(fs))
        r = subprocess.run([cc, "-std=c11", "-I", str(INCLUDE), "-o", str(exe),
                            str(src)], capture_output=True, text=True)
        if r.returncode:
            return None, r.stderr
        r = subprocess.run([str(exe)], capture_output=True, text=True)
        return r.stdout, r.stderr


def check_values(fs, out):
    bad = []
    seen = set()
    for line in out.splitlines():
        f = line.split()
        if f[0] != "C":
            continue
        name, u, neg, size = f[1], int(f[2]), f[3] == "1", int(f[4])
        seen.add(name)
        group, want, signed, _ = fs.consts[name]
        if signed is not None and signed < 0:
            ok = neg and size == 4 and u == (signed & U64)
        else:
            ok = not neg and u == want
        if not ok:
            bad.append("%s: header %#x (negative=%d, size %d), fact sheet %#x"
                       % (name, u, neg, size, want))
    bad += ["%s: not printed" % n for n in fs.order if n not in seen]
    return bad


def check_types(fs, out):
    bad = []
    got = {}
    for line in out.splitlines():
        f = line.split()
        if f[0] == "T":
            got[f[1]] = (int(f[2]), f[3] == "1")
        elif f[0] == "S" and f[2] != "1":
            bad.append("hv_return_t is not signed")
    for t, d in fs.types:
        size, exact = type_expect(d)
        if size is None:
            bad.append("%s: cannot read definition %r" % (t, d))
        elif t not in got or got[t][0] != size:
            bad.append("%s: size %s, fact sheet %d" % (t, got.get(t), size))
        elif exact and not got[t][1]:
            bad.append("%s: not the type %s" % (t, exact))
    return bad


def check_layout(fs, out):
    got = {}
    for line in out.splitlines():
        f = line.split()
        if f[0] == "L":
            got[(f[1], f[2], f[3])] = int(f[4])
    bad = []
    for kind, t, member, want in fs.layout:
        v = got.get((kind, t.replace(" ", "_"), member or "-"))
        if v != want:
            bad.append("%s %s %s: header %s, fact sheet %d"
                       % (kind, t, member or "", v, want))
    return bad


class Tap:
    def __init__(self):
        self.results = []

    def add(self, name, problems, skip=None):
        self.results.append((name, problems, skip))

    def emit(self):
        print("1..%d" % len(self.results))
        failed = 0
        for i, (name, problems, skip) in enumerate(self.results, 1):
            if skip:
                print("ok %d - %s # SKIP %s" % (i, name, skip))
                continue
            print("%s %d - %s" % ("not ok" if problems else "ok", i, name))
            for p in problems[:40]:
                print("# " + p)
            failed += bool(problems)
        return 1 if failed else 0


def main(argv):
    factsheet = os.environ.get("HVF_FACTSHEET",
                               str(ROOT.parent / "shared" / "docs" / "hvf-api.md"))
    write = "--write-defs" in argv
    if "--factsheet" in argv:
        factsheet = argv[argv.index("--factsheet") + 1]
    if not Path(factsheet).is_file():
        print("1..0 # SKIP fact sheet not found: %s" % factsheet)
        return 0
    fs = FactSheet(Path(factsheet).read_text())
    tap = Tap()

    problems = list(fs.errors)
    names = [f[1] for f in fs.funcs]
    vmcs = [n for n in fs.order if fs.consts[n][0] == "HVC_VMCS"]
    if len(vmcs) != 169 + 1:        # 169 enumerators + __VMCS_HOST_RSP
        problems.append("%d VMCS names parsed, want 170" % len(vmcs))
    if len(names) != 81 or len(set(names)) != 81:
        problems.append("%d functions parsed, want 81" % len(names))
    if set(names) != fs.exports:
        problems.append("functions vs export list: %s"
                        % sorted(set(names) ^ fs.exports))
    for n in fs.order:
        g, v, s, _ = fs.consts[n]
        if s is not None and (v - (1 << 32) if v >= 1 << 31 else v) != s:
            problems.append("%s: hex and signed columns disagree" % n)
    tap.add("fact sheet: %d constants, %d types, %d functions, %d layout facts"
            % (len(fs.order), len(fs.types), len(names), len(fs.layout)),
            problems)

    problems = []
    for hdr, incs in sorted(fs.includes.items()):
        path = HDR_DIR / hdr
        if not path.is_file():
            problems.append("%s: missing" % hdr)
            continue
        src = path.read_text()
        for inc in incs:
            if "#include <Hypervisor/%s>" % inc not in src:
                problems.append("%s does not include %s" % (hdr, inc))
    if len(fs.includes) != 10:
        problems.append("%d headers in the section 1 table, want 10"
                        % len(fs.includes))
    tap.add("header set and include graph match section 1", problems)

    have = header_protos()
    problems = []
    for ret, name, params in fs.funcs:
        want = proto_text(ret, name, params)
        if have.get(name) != want:
            problems.append("%s: header %r, fact sheet %r"
                            % (name, have.get(name), want))
    extra = sorted(set(have) - set(names))
    if extra:
        problems.append("not in the fact sheet: %s" % extra)
    tap.add("header prototypes match the fact sheet (81, names included)",
            problems)

    out, err = run_probe(fs)
    if out is None:
        for what in ("constants", "types", "layouts"):
            tap.add("header %s (probe build)" % what, err.splitlines()[:20])
    else:
        tap.add("header constant values match the fact sheet",
                check_values(fs, out))
        tap.add("header typedef sizes match the fact sheet", check_types(fs, out))
        tap.add("struct sizes and offsets match the fact sheet",
                check_layout(fs, out))

    for path, text in ((CONST_DEF, gen_const_def(fs)), (FUNC_DEF, gen_func_def(fs))):
        rel = path.relative_to(ROOT)
        if write:
            path.write_text(text)
        cur = path.read_text() if path.is_file() else ""
        tap.add("%s is up to date" % rel,
                [] if cur == text else ["differs; run with --write-defs"])
    return tap.emit()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
