#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Decode the register command lists Mesa handed to the kernel in a Teflon
stage run ("teflon-regcmd:" lines of teflon-run -r, in the console), with
the register names of drivers/accel/rocket/rocket_registers.h.

  regcmd.py REGISTERS_H CONSOLE OUTDIR

Writes OUTDIR/<model>.txt (each task's entries: target, register, value)
and OUTDIR/summary.txt: every register Mesa writes, with the models that
write it and the values they write, which is what the NPU model would have
to understand to run them. Only the first pass of the console (3 cores)
is read: the runner dumps there.
"""

import collections
import re
import sys

TARGETS = {
    0x0101: "PC", 0x0201: "CNA", 0x0801: "CORE", 0x1001: "DPU",
    0x2001: "DPU_RDMA", 0x4001: "PPU", 0x8001: "PPU_RDMA",
    0x0081: "OP_ENABLE", 0x0041: "MARKER",
}


def register_names(path):
    names = {}
    for line in open(path):
        m = re.match(r"#define REG_(\w+)\s+0x([0-9a-fA-F]+)\s*$", line)
        if m:
            names.setdefault(int(m.group(2), 16), m.group(1))
    return names


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    names = register_names(sys.argv[1])
    outdir = sys.argv[3]
    models = collections.OrderedDict()  # model -> [(job, task, [entries])]
    model = None
    for line in open(sys.argv[2], errors="replace"):
        m = re.match(r"teflon: begin (\S+) cores=(\d+)$", line)
        if m:
            model = m.group(1) if m.group(2) == "3" else None
            continue
        if model is None or not line.startswith("teflon-regcmd: "):
            continue
        rest = line[len("teflon-regcmd: "):].strip()
        m = re.match(r"job (\d+) task (\d+) regcmd (0x[0-9a-f]+) count (\d+)$", rest)
        if m:
            models.setdefault(model, []).append((int(m.group(1)), int(m.group(2)), []))
        elif re.match(r"[0-9a-f]{16}$", rest) and model in models:
            models[model][-1][2].append(int(rest, 16))

    seen = collections.defaultdict(lambda: collections.defaultdict(set))
    for model, tasks in models.items():
        with open(f"{outdir}/{model}.txt", "w") as f:
            for job, task, entries in tasks:
                f.write(f"job {job} task {task}: {len(entries)} entries\n")
                for e in entries:
                    target, value, off = e >> 48, (e >> 16) & 0xFFFFFFFF, e & 0xFFFF
                    if e == 0:
                        f.write("  (zero entry: no next list, PC_BASE_ADDRESS 0)\n")
                        continue
                    if target == 0x0041:
                        f.write(f"  MARKER    (0x{e:016x})\n")
                        continue
                    tname = TARGETS.get(target, f"0x{target:04x}")
                    rname = names.get(off, f"0x{off:04x}")
                    f.write(f"  {tname:9s} {rname:36s} 0x{value:08x}\n")
                    seen[rname][value].add(model)
    with open(f"{outdir}/summary.txt", "w") as f:
        f.write(f"Registers Mesa wrote in {len(models)} models (3-core pass), "
                "with each value and how many models wrote it:\n")
        for rname in sorted(seen):
            vals = seen[rname]
            users = set().union(*vals.values())
            shown = ", ".join(f"0x{v:08x} ({len(ms)})" for v, ms in sorted(vals.items())[:8])
            more = f", ... {len(vals) - 8} more" if len(vals) > 8 else ""
            f.write(f"{rname:36s} {len(users):2d} models: {shown}{more}\n")
    print(f"regcmd: {sum(len(t) for t in models.values())} tasks of {len(models)} models "
          f"decoded into {outdir}")


if __name__ == "__main__":
    main()
