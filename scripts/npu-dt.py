#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The NPU nodes of an RK3588 DTB, for scripts/dtbs.sh.

  npu-dt.py state DTB
      print "enabled" (the three cores and the three MMUs are "okay"),
      "disabled" (none is) or "partial"; "absent" if a label is missing.
  npu-dt.py strip IN OUT
      write OUT: IN without what a board file adds to enable the NPU
      (status "okay" of the cores and MMUs, which become "disabled" again
      as the SoC file has them; npu-supply and sram-supply of the cores;
      domain-supply of pd_npu). Everything else, the regulators included,
      stays. IN must have the NPU enabled.
  npu-dt.py compare DTB REFERENCE [--props NAME,...] [--nodes LABEL,...]
      every property of pd_npu (and the power domains under it), of the
      three cores and of the three MMUs in DTB must equal the one in
      REFERENCE, phandles resolved to node paths; with --props, only those
      properties; with --nodes, only those of these NPU nodes (by label).
      Prints each difference; exits 1 if there is one.

Labels are looked up in /__symbols__: the DTBs must be built with -@.
Exit status 2: the DTB is not what the command needs.
"""

import re
import sys

import libfdt

CORES = ["rknn_core_0", "rknn_core_1", "rknn_core_2"]
MMUS = ["rknn_mmu_0", "rknn_mmu_1", "rknn_mmu_2"]
# pd_npu is compared with its subtree, the others alone (they have none).
NODES = ["pd_npu"] + CORES + MMUS
# What a board file adds to enable the NPU, by label.
BOARD_PROPS = {"pd_npu": ["domain-supply"]}
BOARD_PROPS.update({c: ["npu-supply", "sram-supply", "status"] for c in CORES})
BOARD_PROPS.update({m: ["status"] for m in MMUS})

# Properties that are lists of (phandle, argument cells...), and the
# property of the phandle's node that gives the number of argument cells.
PHANDLE_ARGS = {
    "clocks": "#clock-cells",
    "assigned-clocks": "#clock-cells",
    "assigned-clock-parents": "#clock-cells",
    "resets": "#reset-cells",
    "power-domains": "#power-domain-cells",
    "iommus": "#iommu-cells",
    "phys": "#phy-cells",
    "dmas": "#dma-cells",
}
QUIET = (libfdt.FDT_ERR_NOTFOUND,)


class DtError(Exception):
    pass


def is_phandle_list(name):
    """Properties that hold phandles only, no arguments."""
    return (name.endswith("-supply") or name in ("interrupt-parent", "pm_qos")
            or re.fullmatch(r"pinctrl-\d+", name) is not None)


class Dtb:
    def __init__(self, path):
        self.file = path
        with open(path, "rb") as f:
            self.fdt = libfdt.Fdt(f.read())
        self.symbols = {}
        sym = self.fdt.path_offset("/__symbols__", QUIET)
        if sym < 0:
            raise DtError(f"{path}: no /__symbols__ (built without -@?)")
        for name, value in self.props(sym).items():
            self.symbols[name] = value.rstrip(b"\0").decode()
        self.labels = {}
        for label, p in self.symbols.items():
            self.labels.setdefault(p, []).append(label)
        self.by_phandle = {}
        self._index("/", 0)

    def _index(self, path, off):
        ph = self.fdt.get_phandle(off)
        if ph:
            self.by_phandle[ph] = path
        sub = self.fdt.first_subnode(off, QUIET)
        while sub >= 0:
            name = self.fdt.get_name(sub)
            self._index(path.rstrip("/") + "/" + name, sub)
            sub = self.fdt.next_subnode(sub, QUIET)

    def offset(self, path):
        off = self.fdt.path_offset(path, QUIET)
        if off < 0:
            raise DtError(f"{self.file}: no node {path}")
        return off

    def props(self, off):
        """{name: bytes} of the node at offset off, in order."""
        out = {}
        p = self.fdt.first_property_offset(off, QUIET)
        while p >= 0:
            prop = self.fdt.get_property_by_offset(p)
            out[prop.name] = bytes(prop)
            p = self.fdt.next_property_offset(p, QUIET)
        return out

    def subnodes(self, off):
        names = []
        sub = self.fdt.first_subnode(off, QUIET)
        while sub >= 0:
            names.append(self.fdt.get_name(sub))
            sub = self.fdt.next_subnode(sub, QUIET)
        return names

    def label_path(self, label):
        try:
            return self.symbols[label]
        except KeyError:
            raise DtError(f"{self.file}: no label {label}") from None

    def status(self, label):
        props = self.props(self.offset(self.label_path(label)))
        return props.get("status", b"okay\0").rstrip(b"\0").decode()

    def node_name(self, phandle):
        """A phandle as the path of its node, with its labels."""
        path = self.by_phandle.get(phandle)
        if path is None:
            return f"<phandle {phandle:#x}: no such node>"
        labels = self.labels.get(path)
        return path + (f" (&{', &'.join(labels)})" if labels else "")

    def node_path(self, phandle):
        return self.by_phandle.get(phandle, f"<phandle {phandle:#x}>")

    def cells_of(self, phandle, cells_prop):
        path = self.by_phandle.get(phandle)
        if path is None:
            return None
        v = self.props(self.offset(path)).get(cells_prop)
        return None if v is None or len(v) != 4 else int.from_bytes(v, "big")

    def value(self, name, raw, display=False):
        """A property value in a form that compares across DTBs: phandles
        are node paths; display=True adds the labels."""
        show = self.node_name if display else self.node_path
        if name in ("phandle", "linux,phandle"):
            return "<this node's phandle>"
        if len(raw) % 4 == 0 and raw and (is_phandle_list(name) or name in PHANDLE_ARGS):
            cells = [int.from_bytes(raw[i:i + 4], "big") for i in range(0, len(raw), 4)]
            out = []
            while cells:
                ph = cells.pop(0)
                n = 0
                if name in PHANDLE_ARGS:
                    n = self.cells_of(ph, PHANDLE_ARGS[name])
                    if n is None or n > len(cells):
                        # Cannot decode: keep the rest as raw cells.
                        return "<" + " ".join(out + [hex(ph)] + [hex(c) for c in cells]) + ">"
                out.append("<" + " ".join([show(ph)] + [hex(c) for c in cells[:n]]) + ">")
                cells = cells[n:]
            return ", ".join(out)
        if raw.endswith(b"\0") and all(32 <= b < 127 for b in raw.replace(b"\0", b"")) \
                and b"\0\0" not in raw and not raw.startswith(b"\0"):
            return ", ".join(f'"{s}"' for s in raw[:-1].decode().split("\0"))
        if len(raw) % 4 == 0:
            return "<" + " ".join(hex(int.from_bytes(raw[i:i + 4], "big"))
                                  for i in range(0, len(raw), 4)) + ">"
        return "[" + raw.hex(" ") + "]"


def state(args):
    (dtb,) = args
    d = Dtb(dtb)
    try:
        okay = [d.status(label) == "okay" for label in CORES + MMUS]
    except DtError:
        print("absent")
        return 0
    print("enabled" if all(okay) else "disabled" if not any(okay) else "partial")
    return 0


def strip(args):
    src, dst = args
    d = Dtb(src)
    for label in CORES + MMUS:
        if d.status(label) != "okay":
            raise DtError(f"{src}: &{label} is not enabled: nothing to strip")
    with open(src, "rb") as f:
        fdt = libfdt.Fdt(f.read())
    fdt.resize(fdt.totalsize() + 1024)
    removed = []
    for label, names in BOARD_PROPS.items():
        path = d.label_path(label)
        for name in names:
            off = fdt.path_offset(path)
            if name == "status":
                fdt.setprop_str(off, "status", "disabled")
                removed.append(f"&{label} status")
            elif fdt.hasprop(off, name):
                fdt.delprop(off, name)
                removed.append(f"&{label} {name}")
    fdt.pack()
    with open(dst, "wb") as f:
        f.write(fdt.as_bytearray())
    print("stripped: " + ", ".join(removed))
    return 0


def compare_node(a, b, path_a, path_b, only, what, diffs):
    pa, pb = a.props(a.offset(path_a)), b.props(b.offset(path_b))
    if path_a != path_b:
        diffs.append(f"{what}: node {path_a}, reference has it at {path_b}")
    names = sorted(set(pa) | set(pb))
    if only is not None:
        names = [n for n in names if n in only]
    for n in names:
        if n not in pa:
            diffs.append(f"{what}: no {n}; reference: {n} = {b.value(n, pb[n], True)}")
        elif n not in pb:
            diffs.append(f"{what}: {n} = {a.value(n, pa[n], True)}; reference has none")
        elif a.value(n, pa[n]) != b.value(n, pb[n]):
            diffs.append(f"{what}: {n} = {a.value(n, pa[n], True)}; "
                         f"reference: {b.value(n, pb[n], True)}")
    sa, sb = a.subnodes(a.offset(path_a)), b.subnodes(b.offset(path_b))
    for s in sorted(set(sa) | set(sb)):
        if s not in sa or s not in sb:
            diffs.append(f"{what}: subnode {s} only in {'DTB' if s in sa else 'reference'}")
        else:
            compare_node(a, b, path_a + "/" + s, path_b + "/" + s, only, f"{what}/{s}", diffs)


def compare(args):
    only = None
    nodes = NODES
    opts = args[2:]
    if len(opts) % 2:
        raise DtError("compare: an option without its value")
    for opt, value in zip(opts[::2], opts[1::2]):
        if opt == "--props":
            only = set(value.split(","))
        elif opt == "--nodes":
            nodes = value.split(",")
            unknown = [n for n in nodes if n not in NODES]
            if unknown:
                raise DtError(f"compare: not an NPU node: {', '.join(unknown)}")
        else:
            raise DtError(f"compare: unknown option {opt}")
    dtb, ref = args[:2]
    a, b = Dtb(dtb), Dtb(ref)
    diffs = []
    for label in nodes:
        compare_node(a, b, a.label_path(label), b.label_path(label), only, f"&{label}", diffs)
    for line in diffs:
        print(line)
    return 1 if diffs else 0


COMMANDS = {"state": (state, 1), "strip": (strip, 2), "compare": (compare, 2)}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    func, nargs = COMMANDS[argv[1]]
    args = argv[2:]
    if len(args) != nargs and not (argv[1] == "compare" and len(args) in (4, 6)):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        return func(args)
    except (DtError, OSError, libfdt.FdtException) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
