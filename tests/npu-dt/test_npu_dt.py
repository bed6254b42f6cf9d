#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/npu-dt.py on small device trees compiled with dtc.

Run by `scripts/dtbs.sh --self-test` (make dtbs-selftest) with the
virtualenv's Python, which has pylibfdt:
    python3 tests/npu-dt/test_npu_dt.py
"""

import os
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, "scripts", "npu-dt.py")

# A tree with the NPU nodes of rk3588-base.dtsi in miniature: pd_npu with a
# child domain, three cores, three MMUs, two regulators and a clock
# controller. EXTRA is pasted at the end (a board file's additions);
# FIRST decides which regulator comes first, and so which phandle each gets.
TREE = """/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	%(first)s
	%(second)s
	cru: clock-controller@1000 { reg = <0x1000 0x10>; #clock-cells = <1>; };
	power-controller {
		#address-cells = <1>;
		#size-cells = <0>;
		pd_npu: power-domain@8 {
			reg = <8>;
			#power-domain-cells = <0>;
			#address-cells = <1>;
			#size-cells = <0>;
			pd_nputop: power-domain@9 { reg = <9>; clocks = <&cru 3>; #power-domain-cells = <0>; };
		};
	};
%(cores)s
};
%(extra)s
"""
REG_A = 'vdd_npu_s0: regulator-a { regulator-name = "a"; };'
REG_B = 'vdd_gpu_s0: regulator-b { regulator-name = "b"; };'
CORE = """	rknn_core_%(i)d: npu@%(i)d0000 {
		compatible = "rockchip,rk3588-rknn-core";
		reg = <0x%(i)d0000 0x100>;
		clocks = <&cru %(i)d>, <&cru 7>;
		power-domains = <&pd_nputop>;
		iommus = <&rknn_mmu_%(i)d>;
		status = "disabled";
	};
	rknn_mmu_%(i)d: iommu@%(i)d9000 {
		reg = <0x%(i)d9000 0x100>;
		#iommu-cells = <0>;
		power-domains = <&pd_nputop>;
		status = "disabled";
	};
"""


def mmu_compatible(*strings):
    """A board file's (or an overlay's) compatible for the three MMUs."""
    value = ", ".join(f'"{c}"' for c in strings)
    return "".join(f"&rknn_mmu_{i} {{ compatible = {value}; }};\n" for i in range(3))


V1 = ("rockchip,rk3588-iommu-v1", "rockchip,rk3568-iommu-v1")
STOCK = ("rockchip,rk3588-iommu", "rockchip,rk3568-iommu")


def enable(npu="vdd_npu_s0", sram="vdd_npu_s0", domain="vdd_npu_s0", cores=(0, 1, 2)):
    out = f"&pd_npu {{ domain-supply = <&{domain}>; }};\n" if domain else ""
    for i in cores:
        out += (f"&rknn_core_{i} {{ npu-supply = <&{npu}>; sram-supply = <&{sram}>; "
                f'status = "okay"; }};\n&rknn_mmu_{i} {{ status = "okay"; }};\n')
    return out


class NpuDt(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.n = 0

    def tearDown(self):
        self.tmp.cleanup()

    def dtb(self, extra="", swap=False):
        """Compile the tree with EXTRA; swap reverses the regulators' order."""
        self.n += 1
        src = os.path.join(self.tmp.name, f"t{self.n}.dts")
        out = src[:-4] + ".dtb"
        first, second = (REG_B, REG_A) if swap else (REG_A, REG_B)
        cores = "".join(CORE % {"i": i} for i in range(3))
        with open(src, "w") as f:
            f.write(TREE % {"first": first, "second": second, "cores": cores, "extra": extra})
        subprocess.run(["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
        return out

    def tool(self, *args):
        r = subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True)
        return r.returncode, r.stdout

    def dts(self, dtb):
        """The tree as dtc prints it, nodes and properties sorted."""
        return subprocess.run(["dtc", "-q", "-s", "-I", "dtb", "-O", "dts", dtb],
                              capture_output=True, text=True, check=True).stdout

    def test_state(self):
        self.assertEqual(self.tool("state", self.dtb()), (0, "disabled\n"))
        self.assertEqual(self.tool("state", self.dtb(enable())), (0, "enabled\n"))
        self.assertEqual(self.tool("state", self.dtb(enable(cores=(0, 1)))), (0, "partial\n"))

    def test_strip_gives_the_tree_without_the_board_additions(self):
        before = self.dtb()
        for extra in (enable(), enable(domain=None)):
            out = os.path.join(self.tmp.name, "stripped.dtb")
            rc, _ = self.tool("strip", self.dtb(extra), out)
            self.assertEqual(rc, 0)
            # Phandle numbers may differ (dtc numbers referenced nodes
            # first): compare as the tool does, and the regulators stay.
            self.assertEqual(self.tool("compare", out, before), (0, ""))
            dts = self.dts(out)
            self.assertIn("\tregulator-a {", dts)
            self.assertIn('vdd_npu_s0 = "/regulator-a";', dts)
            self.assertEqual(self.tool("state", out), (0, "disabled\n"))

    def test_strip_refuses_a_disabled_npu(self):
        rc, _ = self.tool("strip", self.dtb(), os.path.join(self.tmp.name, "x.dtb"))
        self.assertEqual(rc, 2)

    def test_compare_equal(self):
        self.assertEqual(self.tool("compare", self.dtb(enable()), self.dtb(enable())), (0, ""))

    def test_compare_resolves_phandles_to_paths(self):
        # Same tree, regulators in the other order: other phandle numbers.
        a, b = self.dtb(enable()), self.dtb(enable(), swap=True)
        with open(a, "rb") as fa, open(b, "rb") as fb:
            self.assertNotEqual(fa.read(), fb.read())
        self.assertEqual(self.tool("compare", a, b), (0, ""))

    def test_compare_wrong_regulator(self):
        rc, out = self.tool("compare", self.dtb(enable(sram="vdd_gpu_s0")), self.dtb(enable()))
        self.assertEqual(rc, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), 3, out)
        self.assertIn("&rknn_core_0: sram-supply = </regulator-b (&vdd_gpu_s0)>; "
                      "reference: </regulator-a (&vdd_npu_s0)>", lines)

    def test_compare_missing_and_extra(self):
        rc, out = self.tool("compare", self.dtb(enable(domain=None)), self.dtb(enable()))
        self.assertEqual((rc, out.strip()), (1, "&pd_npu: no domain-supply; reference: "
                                                "domain-supply = </regulator-a (&vdd_npu_s0)>"))
        rc, out = self.tool("compare", self.dtb(enable()), self.dtb(enable(domain=None)))
        self.assertEqual(rc, 1)
        self.assertIn("reference has none", out)

    def test_compare_subtree_and_arguments(self):
        # A child domain of pd_npu with another clock argument.
        extra = enable() + "&pd_nputop { clocks = <&cru 4>; };\n"
        rc, out = self.tool("compare", self.dtb(extra), self.dtb(enable()))
        self.assertEqual(rc, 1)
        self.assertEqual(out.strip(), "&pd_npu/power-domain@9: clocks = "
                         "</clock-controller@1000 (&cru) 0x4>; "
                         "reference: </clock-controller@1000 (&cru) 0x3>")

    def test_compare_only_some_properties(self):
        extra = enable() + "&pd_nputop { clocks = <&cru 4>; };\n"
        self.assertEqual(self.tool("compare", self.dtb(extra), self.dtb(enable()),
                                   "--props", "status,npu-supply"), (0, ""))

    def test_compare_only_some_nodes(self):
        # The MMUs' compatible and the cores' sram-supply differ.
        a = self.dtb(enable(sram="vdd_gpu_s0") + mmu_compatible(*V1))
        b = self.dtb(enable() + mmu_compatible(*STOCK))
        rc, out = self.tool("compare", a, b, "--nodes", "rknn_mmu_0,rknn_mmu_1,rknn_mmu_2")
        self.assertEqual(rc, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), 3, out)
        self.assertIn('&rknn_mmu_1: compatible = "rockchip,rk3588-iommu-v1", '
                      '"rockchip,rk3568-iommu-v1"; reference: "rockchip,rk3588-iommu", '
                      '"rockchip,rk3568-iommu"', lines)
        # Both options together: one node, one property.
        self.assertEqual(self.tool("compare", a, b, "--nodes", "rknn_core_0",
                                   "--props", "npu-supply"), (0, ""))
        rc, out = self.tool("compare", a, b, "--props", "sram-supply", "--nodes", "rknn_core_0")
        self.assertEqual((rc, len(out.splitlines())), (1, 1), out)
        # Same compatible: no difference on the MMUs.
        c = self.dtb(enable() + mmu_compatible(*V1))
        self.assertEqual(self.tool("compare", a, c, "--nodes", "rknn_mmu_0,rknn_mmu_1,rknn_mmu_2"),
                         (0, ""))

    def test_compare_refuses_bad_options(self):
        a = self.dtb(enable())
        for opts in (["--nodes", "cru"], ["--bogus", "x"], ["--nodes"],
                     ["--props", "status", "--nodes"]):
            rc, _ = self.tool("compare", a, a, *opts)
            self.assertEqual(rc, 2, opts)


if __name__ == "__main__":
    unittest.main(verbosity=2)
